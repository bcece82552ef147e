import Foundation

/// A seeded, deterministic fuzz run of one target without libFuzzer: every seed input, then
/// mutated ones (``FuzzMutator``), until a count or a deadline. What `swift test` runs in CI and
/// `cairn-fuzz` runs when built without libFuzzer.
public struct FuzzCampaign: Sendable {
    /// What a campaign did.
    public struct Report: Sendable {
        /// Inputs run.
        public var executions = 0
        /// The first input that broke a property, and how; nil when none did.
        public var failure: (input: [UInt8], failure: FuzzFailure)?
    }

    /// The target fuzzed.
    public let target: FuzzTarget
    /// The seed corpus.
    public let seeds: [[UInt8]]
    /// The random seed: the same seed replays the same inputs.
    public let seed: UInt64

    /// Creates a campaign.
    public init(target: FuzzTarget, seeds: [[UInt8]], seed: UInt64) {
        self.target = target
        self.seeds = seeds
        self.seed = seed
    }

    /// Runs the seeds, then mutated inputs until `inputs` have run or `deadline` passes; stops at
    /// the first failure.
    public func run(inputs: Int, deadline: ContinuousClock.Instant? = nil) -> Report {
        var report = Report()
        var mutator = FuzzMutator(seed: seed, seeds: seeds, dictionary: target.dictionary)
        var pending = seeds[...]
        while report.executions < max(inputs, seeds.count) {
            if let deadline, report.executions % 256 == 0, ContinuousClock.now >= deadline, pending.isEmpty { break }
            let input = pending.popFirst() ?? mutator.next()
            report.executions += 1
            do {
                try target.run(input)
            } catch {
                report.failure = (input, error)
                break
            }
        }
        return report
    }

    /// The seed inputs in `folder`: every regular file, in name order; empty if there is none.
    public static func corpus(in folder: URL) -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { [UInt8]($0) }
        }
    }
}
