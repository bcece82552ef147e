import DriveEngine

extension AppState {
    /// Runs a `:` command: drive paths are taken from the folder shown, local paths from the
    /// working directory.
    mutating func runCommandLine(_ text: String) -> [Effect] {
        let command: DriveCommand
        switch DriveCommand.parse(text) {
        case .success(let parsed): command = parsed
        case .failure(let error):
            message = StatusMessage(":\(text): \(error)", kind: .error)
            return []
        }
        func drive(_ path: String, _ operation: String) throws(DriveError) -> DrivePath {
            try PathResolution.drivePath(path, from: browser.folder, operation: operation)
        }
        func local(_ path: String) -> String {
            PathResolution.localPath(path, directory: context.localDirectory, home: context.homeDirectory)
        }
        do throws(DriveError) {
            switch command {
            case .put(let source, let destination):
                let localPath = local(source)
                let target = if let destination {
                    try drive(destination, "put")
                } else {
                    browser.folder.appending(try DrivePath.validName(PathResolution.baseName(localPath), operation: "put"))
                }
                return startJob("Adding \(target.name)") { .put(job: $0, local: localPath, to: target) }
            case .get(let path, let destination, let version, let force):
                let source = try drive(path, "get")
                let localPath = local(destination ?? source.name)
                return startJob("Downloading \(source.name)") {
                    .get(job: $0, source, local: localPath, version: version, force: force)
                }
            case .makeFolder(let path, let parents):
                return [.makeFolder(try drive(path, "mkdir"), parents: parents)]
            case .move(let source, let destination):
                return [.move(try drive(source, "mv"), to: try drive(destination, "mv"))]
            case .remove(let path):
                return [.trash(try drive(path, "rm"))]
            case .restore(let path, let version):
                let file = try drive(path, "restore")
                if versions.path == file { versions.selectHeadOnLoad = true }
                return [.restoreVersion(file, version: version)]
            case .changeFolder(let path):
                return enterFolder(try drive(path, "cd"), selecting: nil)
            case .quit:
                shouldQuit = true
                return job.map { [.cancelJob($0.id)] } ?? []
            }
        } catch {
            message = StatusMessage(error.description, kind: .error)
            return []
        }
    }
}
