import Foundation
import Testing

@testable import TaktCore

/// Record kinds are checked when the registry is built: named in the module's namespace, declared once, with
/// one upgrade per version step.
@Suite struct ModuleRecordKindTests {
    struct Thing: Codable, Sendable, Equatable {
        var id: String
        var size: Int
    }

    struct Declaring: SiteModule {
        struct Configuration: Codable, Sendable {}
        static let id: ModuleID = "test_one"
        static let summary = "declares test_one.thing"
        static var records: [AnyRecordKind] { [RecordKind<Thing>.state("test_one.thing", key: \.id).erased] }
        init(configuration: Configuration) {}
        func register(into book: inout RuleBook) throws(CoreError) {}
    }

    struct Trespassing: SiteModule {
        struct Configuration: Codable, Sendable {}
        static let id: ModuleID = "test_two"
        static let summary = "declares a kind in test_one's namespace"
        static var records: [AnyRecordKind] { [RecordKind<Thing>.state("test_one.thing", key: \.id).erased] }
        init(configuration: Configuration) {}
        func register(into book: inout RuleBook) throws(CoreError) {}
    }

    struct Twice: SiteModule {
        struct Configuration: Codable, Sendable {}
        static let id: ModuleID = "test_one"
        static let summary = "another module with test_one's id"
        init(configuration: Configuration) {}
        func register(into book: inout RuleBook) throws(CoreError) {}
    }

    struct Unversioned: SiteModule {
        struct Configuration: Codable, Sendable {}
        static let id: ModuleID = "test_three"
        static let summary = "version 2 without its upgrade"
        static var records: [AnyRecordKind] {
            [RecordKind<Thing>.state("test_three.thing", version: 2, key: \.id).erased]
        }
        init(configuration: Configuration) {}
        func register(into book: inout RuleBook) throws(CoreError) {}
    }

    struct DuplicateKinds: SiteModule {
        struct Configuration: Codable, Sendable {}
        static let id: ModuleID = "test_four"
        static let summary = "the same kind twice"
        static var records: [AnyRecordKind] {
            let kind = RecordKind<Thing>.state("test_four.thing", key: \.id).erased
            return [kind, kind]
        }
        init(configuration: Configuration) {}
        func register(into book: inout RuleBook) throws(CoreError) {}
    }

    @Test func aKindOutsideItsModulesNamespaceIsRefusedNamingBoth() {
        #expect(throws: CoreError.recordKindOutsideNamespace(kind: "test_one.thing", module: "test_two")) {
            try ModuleRegistry([Trespassing.self])
        }
        #expect(
            CoreError.recordKindOutsideNamespace(kind: "test_one.thing", module: "test_two").description
                == "module test_two: record kind 'test_one.thing' must be named 'test_two.…' (its module's namespace)")
    }

    @Test func aKindDeclaredTwiceIsRefused() {
        #expect(throws: CoreError.duplicateRecordKind(kind: "test_four.thing", modules: ["test_four", "test_four"])) {
            try ModuleRegistry([DuplicateKinds.self])
        }
        #expect(throws: CoreError.duplicateModule("test_one")) { try ModuleRegistry([Declaring.self, Twice.self]) }
    }

    @Test func aVersionWithoutItsUpgradeStepsIsRefused() {
        #expect {
            try ModuleRegistry([Unversioned.self])
        } throws: { error in
            "\(error)"
                == "module test_three: record kind 'test_three.thing': version 2 needs 1 upgrade steps, it declares 0"
        }
    }

    @Test func upgradesRenameAndAddFieldsStepByStepAndNeverGoBackwards() throws {
        let kind = RecordKind<Thing>.state(
            "test_one.thing", version: 3, key: \.id,
            upgrades: [.rename("bulk", to: "size"), .add("colour", default: .string("grey"))]
        ).erased
        let old = #"{"bulk":4,"id":"a"}"#
        #expect(try kind.upgrade(old, from: 1, to: 2) == #"{"id":"a","size":4}"#)
        #expect(try kind.upgrade(old, from: 1) == #"{"colour":"grey","id":"a","size":4}"#)
        #expect(throws: CoreError.self) { try kind.upgrade(old, from: 4) }
    }

    @Test func aPayloadThatDoesNotDecodeNamesTheModuleKindAndKey() {
        let kind = RecordKind<Thing>.state("test_one.thing", key: \.id)
        #expect {
            try kind.decode(#"{"id":"a"}"#, key: "a")
        } throws: { error in
            "\(error)".hasPrefix("module test_one: test_one.thing record 'a' does not decode at version 1")
        }
    }

    @Test func aRuleSeesOnlyTheKindsItDeclares() throws {
        let things = RecordKind<Thing>.state("test_one.thing", key: \.id)
        let others = RecordKind<Thing>.state("test_one.other", key: \.id)
        var records = ModuleRecords()
        try records.load(things.erased, rows: [("a", #"{"id":"a","size":1}"#)])
        try records.load(others.erased, rows: [("b", #"{"id":"b","size":2}"#)])
        let restricted = records.restricted(to: [.latest(things)])
        #expect(restricted.latest(things, key: "a") == Thing(id: "a", size: 1))
        #expect(restricted.all(others).isEmpty)
        #expect(throws: CoreError.self) { try records.load(things.erased, rows: [("c", "{}")]) }
    }

    @Test func actionKindsOfModulesBlockAndDecodeOnlyAsLowercaseWords() throws {
        let block = FindingAction.Kind.block(of: "reel")
        #expect(block.isBlock && block.rawValue == "block_reel")
        #expect(FindingAction(block, "R1").description == "reel R1 blocked")
        #expect(!FindingAction.Kind.holdLot.isBlock)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FindingAction.Kind.self, from: Data(#""Block; DROP""#.utf8))
        }
    }
}

extension ModuleRecordKindTests {
    /// Keys and records of every module are bounded where they are written, not by each module.
    @Test func emptyHugeOrControlKeysAndHugeRecordsAreRefusedForEveryKind() throws {
        let kind = RecordKind<Thing>.state("test_one.thing", key: \.id)
        for bad in ["", String(repeating: "r", count: 201), "R1\u{0}", "R\n1"] {
            #expect(throws: CoreError.self, "\(bad.debugDescription.prefix(20))") {
                try kind.write(Thing(id: bad, size: 1))
            }
        }
        #expect(try kind.write(Thing(id: String(repeating: "r", count: 200), size: 1)).key?.count == 200)
        let notes = RecordKind<[String: String]>.fact("test_one.note", at: { _ in Date() })
        #expect {
            try notes.write(["text": String(repeating: "x", count: 70_000)])
        } throws: { error in
            "\(error)".contains("a record may be at most 65536")
        }
    }
}
