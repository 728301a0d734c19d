import Testing

@testable import TaktCore

@Suite struct CSVTextTests {
    @Test func fieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(
            CSVText.line(["a", "b,c", "say \"hi\"", "two\nlines"]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"")
        #expect(CSVText.file(header: ["x"], rows: [["1"]]) == "x\r\n1\r\n")
    }

    @Test func aFormulaFromASiteIsNeverRunButNumbersStayNumbers() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx"] {
            #expect(CSVText.field(formula).hasPrefix("'") || CSVText.field(formula).hasPrefix("\"'"), "\(formula)")
        }
        #expect(CSVText.field("-5.5") == "-5.5")
        #expect(CSVText.field("+3") == "+3")
    }
}
