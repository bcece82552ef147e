import Blocks
import DriveTUI
import Foundation
@testable import FuzzHarness
import Testing

/// The fuzz harnesses as a bounded, deterministic property test: each target's seed corpus
/// (Tests/FuzzCorpus/TARGET), then mutated and random inputs. `CAIRN_FUZZ_SEED` and
/// `CAIRN_FUZZ_INPUTS` change the seed and the count; a failure names the seed and the input.
@Suite struct FuzzCampaignTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    static func seeds(_ target: FuzzTarget) -> [[UInt8]] {
        FuzzCampaign.corpus(in: corpusRoot.appendingPathComponent(target.folderName))
    }

    @Test(arguments: FuzzTarget.allCases)
    func noInputBreaksTheParser(_ target: FuzzTarget) throws {
        let environment = ProcessInfo.processInfo.environment
        let index = UInt64(FuzzTarget.allCases.firstIndex(of: target)!)
        let seed = environment["CAIRN_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0xCA12_0000 + index
        // Theme files are the slowest to parse in a debug build (about 1 ms for a whole theme).
        let inputs = environment["CAIRN_FUZZ_INPUTS"].flatMap { Int($0) } ?? (target == .themeFile ? 4_000 : 20_000)
        let seeds = Self.seeds(target)
        try #require(seeds.count >= 4, "the seed corpus of \(target.rawValue) is missing")

        let report = FuzzCampaign(target: target, seeds: seeds, seed: seed).run(inputs: inputs)
        if let (input, failure) = report.failure {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-fuzz-\(target.rawValue)-\(seed).bin")
            try? Data(input).write(to: file)
            let hex = input.prefix(256).map { String(format: "%02x", $0) }.joined()
            Issue.record("""
                \(target.rawValue), seed \(seed), input \(report.executions): \(failure)
                the \(input.count) input bytes are in \(file.path) (replay: swift run cairn-fuzz \(target.rawValue) FILE); they begin \(hex)
                """)
        }
        #expect(report.executions == inputs)
    }

    /// The seeds reach both sides of each parser: some inputs it accepts, some it rejects.
    @Test func seedsHoldValidAndBrokenInputs() throws {
        let codec = Self.seeds(.blockCodec).map { (try? BlockCodec.decode(Data($0), maxRawLength: 1 << 16)) != nil }
        #expect(codec.contains(true) && codec.contains(false))
        let packs = Self.seeds(.packRecords).map { (try? PackRecordReader.records(in: Data($0))) != nil }
        #expect(packs.contains(true) && packs.contains(false))
        let themes = Self.seeds(.themeFile).map { (try? ThemeFile.parse(String(decoding: $0, as: UTF8.self), name: "t")) != nil }
        #expect(themes.contains(true) && themes.contains(false))
        let lines = Self.seeds(.commandLine).map { (try? DriveCommand.parse(String(decoding: $0, as: UTF8.self)).get()) != nil }
        #expect(lines.contains(true) && lines.contains(false))
    }

    /// Mutated inputs are a function of the seed, and stay within the length bound.
    @Test func mutatorReplaysItsSeed() {
        let seeds = Self.seeds(.packRecords)
        func inputs(_ seed: UInt64) -> [[UInt8]] {
            var mutator = FuzzMutator(seed: seed, seeds: seeds, dictionary: FuzzTarget.packRecords.dictionary)
            return (0..<300).map { _ in mutator.next() }
        }
        #expect(inputs(7) == inputs(7))
        #expect(inputs(7) != inputs(8))
        #expect(inputs(9).allSatisfy { $0.count <= FuzzMutator.maxLength })
        #expect(Set(inputs(9)).count > 250)
    }
}
