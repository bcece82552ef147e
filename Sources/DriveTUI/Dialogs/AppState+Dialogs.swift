import DriveEngine

extension AppState {
    /// Esc: closes the topmost thing — dialog, command line, filter, pager — or else cancels
    /// the running job, or else clears the filter.
    mutating func cancel() -> [Effect] {
        if case .confirm(let confirm)? = dialog {
            dialog = confirm.returnTo.map(Dialog.share)
        } else if dialog != nil {
            dialog = nil
        } else if commandLine != nil {
            commandLine = nil
        } else if browser.filterField != nil && view == .drive && pager == nil {
            browser.filterField = nil
            browser.setFilter("", visibleRows: layout.listRows)
            return browserDetailsEffects(force: false)
        } else if pager != nil {
            pager = nil
        } else if var job {
            job.isCancelling = true
            self.job = job
            message = StatusMessage("Cancelling \(job.title)…")
            return [.cancelJob(job.id)]
        } else if view == .drive && !browser.filter.isEmpty {
            browser.setFilter("", visibleRows: layout.listRows)
            return browserDetailsEffects(force: false)
        }
        return []
    }

    /// Types into whichever text field has the keyboard.
    mutating func edit(_ edit: TextEdit) -> [Effect] {
        if case .prompt(var prompt)? = dialog {
            prompt.field.apply(edit)
            prompt.completions = []
            dialog = .prompt(prompt)
        } else if case .share(var share)? = dialog {
            share.field.apply(edit)
            share.completions = []
            dialog = .share(share)
        } else if var field = commandLine {
            field.apply(edit)
            commandLine = field
        } else if var field = browser.filterField {
            field.apply(edit)
            browser.filterField = field
            browser.setFilter(field.text, visibleRows: layout.listRows)
            return browserDetailsEffects(force: false)
        }
        return []
    }

    /// Tab in a prompt: asks for completions of the local path typed so far; in the share
    /// dialog, completes the user name.
    mutating func complete() -> [Effect] {
        if case .share(var share)? = dialog {
            if !share.complete() { message = StatusMessage("No user’s name starts with ‘\(share.field.text)’") }
            dialog = .share(share)
            return []
        }
        guard case .prompt(let prompt)? = dialog, prompt.completesLocalPaths else { return [] }
        return [.completeLocalPath(prompt.field.text)]
    }

    /// Enter: answers the dialog, runs the command line, or keeps the filter.
    mutating func submit() -> [Effect] {
        switch dialog {
        case .confirm(let confirm)?:
            dialog = confirm.returnTo.map(Dialog.share)
            switch confirm.operation {
            case .restoreVersion(let path, let version):
                versions.selectHeadOnLoad = true
                message = StatusMessage("Restoring version \(version) of \(path)…")
                return [.restoreVersion(path, version: version)]
            case .emptyTrash:
                message = StatusMessage("Emptying the trash…")
                return [.emptyTrash]
            case .unshare(let path, let user):
                message = StatusMessage("Stopping sharing \(path) with \(user)…")
                return [.unshare(path, with: user)]
            case .replaceLocal(let path, let local, let version):
                return startJob("Downloading \(path.name)") { .get(job: $0, path, local: local, version: version, force: true) }
            case .keepSide(let path, let id, let side):
                message = StatusMessage("Keeping \(side.rawValue) for \(path)…")
                return [.keepSide(path, id: id, side)]
            case .leaveMerge:
                return leaveMerge()
            }
        case .prompt(let prompt)?:
            dialog = nil
            return submitPrompt(prompt)
        case .share(let share)?:
            return submitShare(share)
        case nil:
            break
        }
        if let field = commandLine {
            commandLine = nil
            return runCommandLine(field.text)
        }
        if browser.filterField != nil {
            browser.filterField = nil
        }
        return []
    }

    private mutating func submitPrompt(_ prompt: PromptDialog) -> [Effect] {
        let text = prompt.field.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return [] }
        do throws(DriveError) {
            switch prompt.purpose {
            case .addLocal(let folder):
                let local = PathResolution.localPath(text, directory: context.localDirectory, home: context.homeDirectory)
                let name = try DrivePath.validName(PathResolution.baseName(local), operation: "put")
                browser.pendingSelection = .name(name)
                return startJob("Adding \(name)") { .put(job: $0, local: local, to: folder.appending(name)) }
            case .download(let path, let version):
                let local = PathResolution.localPath(text, directory: context.localDirectory, home: context.homeDirectory)
                return startJob("Downloading \(path.name)") { .get(job: $0, path, local: local, version: version) }
            case .newFolder(let folder):
                let name = try DrivePath.validName(text, operation: "mkdir")
                browser.pendingSelection = .name(name)
                return [.makeFolder(folder.appending(name))]
            case .rename(let path):
                let name = try DrivePath.validName(text, operation: "mv")
                if name == path.name { return [] }  // unchanged: nothing to do
                browser.pendingSelection = .name(name)
                return [.move(path, to: path.parent.appending(name))]
            case .move(let path):
                return [.moveInto(path, folder: try PathResolution.drivePath(text, from: browser.folder, operation: "mv"))]
            }
        } catch {
            message = StatusMessage(error.description, kind: .error)
            return []
        }
    }

    /// Enter in the share dialog: shares with the user typed, in the role chosen. A name that is
    /// no user's keeps the dialog open with a message, so nothing typed is lost.
    private mutating func submitShare(_ share: ShareDialog) -> [Effect] {
        let name = share.field.text.trimmingCharacters(in: .whitespaces)
        if name.isEmpty {
            message = StatusMessage("Type the name of a user to share with (Tab lists them)", kind: .error)
        } else if name == context.userName {
            message = StatusMessage("You own \(share.path): share it with someone else", kind: .error)
        } else if !share.users.isEmpty && !share.users.contains(name) {
            message = StatusMessage("No user is called ‘\(name)’ (Tab lists them)", kind: .error)
        } else {
            dialog = nil
            message = StatusMessage("Sharing \(share.path) with \(name)…")
            return [.share(share.path, with: name, role: share.role)]
        }
        return []
    }

    /// Starts a background transfer unless one is running.
    mutating func startJob(_ title: String, _ effect: (Int) -> Effect) -> [Effect] {
        if let job {
            message = StatusMessage("Wait for “\(job.title)” to finish, or press Esc to cancel it", kind: .error)
            return []
        }
        let id = nextJobID
        nextJobID += 1
        job = JobState(id: id, title: title)
        return [effect(id)]
    }
}
