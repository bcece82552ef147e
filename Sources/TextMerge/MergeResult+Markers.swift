import Foundation

extension MergeResult {
    /// The merged text with each conflict written out between diff3 markers, as
    /// `git merge-file --diff3` writes it:
    ///
    ///     <<<<<<< mine
    ///     mine's lines
    ///     ||||||| base
    ///     the base's lines
    ///     =======
    ///     theirs' lines
    ///     >>>>>>> theirs
    ///
    /// A marker with an empty label is the seven characters alone. Markers, and a newline put
    /// after a side whose last line (the file's last) has none, end in "\r\n" where the text
    /// around the conflict does (see `Merge3`), else in "\n". Clean chunks are copied exactly.
    public func withMarkers(mineLabel: String = "mine", baseLabel: String = "base",
                            theirsLabel: String = "theirs") -> Data {
        var out = Data()
        for chunk in chunks {
            switch chunk {
            case .clean(let lines):
                out.append(Line.join(lines))
            case .conflict(let conflict):
                out.append(conflict.withMarkers(mineLabel: mineLabel, baseLabel: baseLabel, theirsLabel: theirsLabel))
            }
        }
        return out
    }
}

extension MergeResult.Conflict {
    /// This conflict alone between diff3 markers, as ``MergeResult/withMarkers(mineLabel:baseLabel:theirsLabel:)``
    /// writes it in place of the conflict (for a person to edit one hunk).
    public func withMarkers(mineLabel: String = "mine", baseLabel: String = "base", theirsLabel: String = "theirs") -> Data {
        var out = Data()
        func marker(_ sign: Character, _ label: String) {
            out.append(contentsOf: Array(String(repeating: sign, count: 7).utf8))
            if !label.isEmpty { out.append(contentsOf: Array(" \(label)".utf8)) }
            out.append(contentsOf: newline)
        }
        func side(_ lines: [Line]) {
            out.append(Line.join(lines))
            if let last = lines.last, !last.hasNewline { out.append(contentsOf: newline) }
        }
        marker("<", mineLabel)
        side(mine)
        marker("|", baseLabel)
        side(base)
        marker("=", "")
        side(theirs)
        marker(">", theirsLabel)
        return out
    }
}
