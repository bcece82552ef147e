import Foundation
import FuzzHarness

// `cairn-fuzz`: the fuzz harnesses as one program.
//
// Built with libFuzzer (`cairn-bench fuzz SECONDS` does this: `swift build --scratch-path
// .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --product cairn-fuzz`), it is
// a libFuzzer binary whose target is named by `CAIRN_FUZZ_TARGET`; every libFuzzer flag
// applies. Built plainly, it runs a target's harness on files (to replay a crash), or a seeded
// mutation campaign over a corpus folder for a number of seconds.

#if FUZZING
/// The target this libFuzzer process fuzzes, from `CAIRN_FUZZ_TARGET`.
let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["CAIRN_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("cairn-fuzz: set CAIRN_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(64)
    }
    return target
}()

/// libFuzzer's entry point: one input; a broken property crashes, which libFuzzer reports.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    do {
        try fuzzTarget.run(UnsafeRawBufferPointer(start: start, count: count))
    } catch {
        fatalError("\(fuzzTarget.rawValue): \(error)")
    }
    return 0
}

/// libFuzzer's driver, which parses its flags and runs `fuzzOneInput`: its own `main` is not the
/// program's, since SwiftPM points an executable's `main` at `cairn_fuzz_main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ body: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// The program's entry point in a libFuzzer build.
@_cdecl("cairn_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { start, count in fuzzOneInput(start, count) }
}
#else
/// `cairn-fuzz TARGET FILE…` replays inputs; `cairn-fuzz TARGET [--corpus DIR] [--seconds S]
/// [--seed N]` runs a mutation campaign.
@main
struct CairnFuzz {
    static func main() {
        var args = CommandLine.arguments.dropFirst()
        guard let name = args.popFirst(), let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            print("usage: cairn-fuzz \(names) [FILE…] | [--corpus DIR] [--seconds S] [--seed N]")
            exit(64)
        }
        var corpus: URL?
        var seconds = 10.0
        var seed: UInt64 = 1
        var files: [String] = []
        while let arg = args.popFirst() {
            switch arg {
            case "--corpus": corpus = args.popFirst().map { URL(fileURLWithPath: $0) }
            case "--seconds": seconds = Double(args.popFirst() ?? "") ?? seconds
            case "--seed": seed = UInt64(args.popFirst() ?? "") ?? seed
            default: files.append(arg)
            }
        }
        if !files.isEmpty {
            var failed = false
            for file in files {
                let input = (try? Data(contentsOf: URL(fileURLWithPath: file))).map { [UInt8]($0) } ?? []
                do { try target.run(input); print("\(file): ok") } catch { print("\(file): \(error)"); failed = true }
            }
            exit(failed ? 1 : 0)
        }
        let seeds = corpus.map(FuzzCampaign.corpus(in:)) ?? []
        let campaign = FuzzCampaign(target: target, seeds: seeds, seed: seed)
        let report = campaign.run(inputs: .max, deadline: .now + .seconds(seconds))
        print("\(target.rawValue): \(report.executions) inputs, seed \(seed)")
        if let (input, failure) = report.failure {
            print("FAILED on \(input.count) bytes \(input.map { String(format: "%02x", $0) }.joined()): \(failure)")
            exit(1)
        }
    }
}
#endif
