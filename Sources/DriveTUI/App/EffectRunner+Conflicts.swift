import DriveEngine

extension EffectRunner {
    /// The result of a Conflicts view or merge screen effect.
    func performConflicts(_ effect: Effect) throws(DriveError) -> Action {
        switch effect {
        case .loadConflicts(let all):
            return .conflictsLoaded(all: all, try session.conflicts(all: all))
        case .loadMerge(let path, let id):
            // The merge reads and diffs whole files: here, never on the main actor.
            return .mergeReady(MergeInput(try session.conflictSides(path.description, id: id)))
        case .keepSide(let path, let id, let side):
            let settled = try session.resolveConflict(path.description, keep: side.resolution, id: id)
            let made = settled.result.map { "version \($0)" } ?? "a new version"
            let text = switch side {
            case .mine: "Kept v\(settled.version) (mine) of \(path) as \(made)"
            case .theirs: "Kept the head (theirs) of \(path) as \(made)"
            case .both: "Kept the head of \(path); v\(settled.version) is now \(settled.copyPath?.description ?? "a copy beside it")"
            }
            return .conflictResolved(settled, text)
        case .writeMerge(let path, let id, let head, let merged):
            // The merge was made against version `head`: a newer head would be dropped by it.
            let now = try session.log(path.description).first(where: \.isHead)?.version.number
            guard now == head else {
                throw DriveError(.conflict, "resolve", path.description,
                                 "the head moved to version \(now.map(String.init) ?? "?") since the merge opened; nothing was written",
                                 hint: "leave the merge screen and open it again")
            }
            let settled = try session.resolveConflict(path.description, merged: merged, id: id)
            return .conflictResolved(settled, "Merged v\(settled.version) (mine) into \(path): "
                + (settled.result.map { "version \($0) is the head" } ?? "a new head"))
        default:
            preconditionFailure("not a conflicts effect: \(effect)")
        }
    }
}

extension MergeSide {
    /// The engine's resolution that keeps this side.
    var resolution: ConflictResolution {
        switch self {
        case .mine: .mine
        case .theirs: .theirs
        case .both: .both
        }
    }
}
