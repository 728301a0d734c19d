import Testing

@testable import TaktCore

/// Spans as configuration writes them and as people read them.
@Suite struct TimeSpanTests {
    @Test func configurationTextReadsBack() {
        for text in ["90s", "45m", "4h", "2d", "1h30m"] {
            let span = TimeSpan(parsing: text)
            #expect(span != nil, "\(text)")
            #expect(span.flatMap { TimeSpan(parsing: $0.description) } == span, "\(text)")
        }
    }

    @Test func peopleReadTwoUnitsRounded() {
        #expect(TimeSpan(seconds: 6 * 86_400 + 11 * 3600 + 48 * 60 + 20).forPeople == "6 d 12 h")
        #expect(TimeSpan(seconds: 3 * 3600 + 20 * 60 + 5).forPeople == "3 h 20 min")
        #expect(TimeSpan(seconds: 2 * 3600).forPeople == "2 h")
        #expect(TimeSpan(seconds: 2 * 3600 + 59 * 60 + 50).forPeople == "3 h")
        #expect(TimeSpan(seconds: 45 * 60).forPeople == "45 min")
        #expect(TimeSpan(seconds: 30).forPeople == "30 s")
        #expect(TimeSpan(seconds: 0).forPeople == "0 s")
        #expect(TimeSpan(seconds: 23 * 3600 + 59 * 60 + 40).forPeople == "1 d")
    }
}
