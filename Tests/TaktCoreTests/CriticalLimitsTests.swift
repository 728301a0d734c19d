import Testing

@testable import TaktCore

/// What a breach says to the person who recorded the reading.
@Suite struct CriticalLimitsTests {
    @Test func aMeasuredBreachNamesTheValueAndTheLimit() {
        let chill = CriticalLimits(max: 5)
        #expect(chill.breach(of: 5, unit: "°C") == nil)
        #expect(chill.breach(of: 6.2, unit: "°C") == "6.2 °C is above the limit 5 °C")
        #expect(chill.breach(of: 6.2, unit: "°C", in: .spanish) == "6.2 °C está por encima del límite 5 °C")
        #expect(CriticalLimits(min: 63).breach(of: 62.9, unit: "°C", in: .malay) == "62.9 °C di bawah had 63 °C")
    }

    /// "0 pass/fail is below the limit 1 pass/fail" told nobody anything: a failed test failed.
    @Test func aPassFailBreachSaysTheTestFailed() {
        let test = CriticalLimits(min: 1)
        #expect(test.breach(of: 1, unit: "pass/fail") == nil)
        #expect(test.breach(of: 0, unit: "pass/fail") == "failed")
        #expect(test.breach(of: 0, unit: "pass/fail", in: .english) == "failed")
        #expect(test.breach(of: 0, unit: "pass/fail", in: .spanish) == "falló")
        #expect(test.breach(of: 0, unit: "pass/fail", in: .malay) == "gagal")
        #expect(test.breach(of: 1, unit: "pass/fail", in: .malay) == nil)
    }
}
