#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes an executable shell script at `url`, opened close-on-exec. Tests run in parallel and
/// spawn children: one spawned while this file is open would inherit a writable descriptor of it,
/// and running the script would fail with "Text file busy" for as long as that child lives.
func writeScript(_ text: String, to url: URL) throws {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
}
