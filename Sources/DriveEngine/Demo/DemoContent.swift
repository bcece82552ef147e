import Blocks
import Foundation

/// The files of the demo drive: successive versions of text worth diffing, and a few binaries.
///
/// Every byte is fixed or derived from a fixed seed, so two demo drives built with the same clock
/// hold the same content.
enum DemoContent {
    // MARK: 문서/회의록.md — four edits of one meeting's notes

    static let meetingNotes: [String] = [
        """
        # 주간 회의록 — Cairn

        참석: 김민지, Alice, Bob

        ## 안건
        1. 0.1 릴리스 일정
        2. 블록 저장소 압축 설정
        3. 데모 드라이브

        ## 논의
        - 릴리스는 3월 말로 잡는다.
        - 압축은 zlib 레벨 1을 기본으로 한다.

        ## 할 일
        - [ ] 민지: 릴리스 노트 초안
        - [ ] Alice: 청커 벤치마크
        - [ ] Bob: CI에 tmux 설치

        """,
        """
        # 주간 회의록 — Cairn

        참석: 김민지, Alice, Bob

        ## 안건
        1. 0.1 릴리스 일정
        2. 블록 저장소 압축 설정
        3. 데모 드라이브

        ## 논의
        - 릴리스는 3월 말로 잡는다.
        - 압축은 zlib 레벨 1을 기본으로 한다.
        - 압축해도 작아지지 않는 블록은 그대로 저장한다.

        ## 할 일
        - [x] 민지: 릴리스 노트 초안
        - [ ] Alice: 청커 벤치마크
        - [ ] Bob: CI에 tmux 설치

        """,
        """
        # 주간 회의록 — Cairn

        참석: 김민지, Alice, Bob, 이준호

        ## 안건
        1. 0.1 릴리스 일정
        2. 블록 저장소 압축 설정

        ## 논의
        - 릴리스는 4월 첫째 주로 미룬다 (TUI 마무리).
        - 압축은 zlib 레벨 1을 기본으로 한다.
        - 압축해도 작아지지 않는 블록은 그대로 저장한다.

        ## 결정 사항
        - 데모 드라이브는 다음 회의로 넘긴다.

        ## 할 일
        - [x] 민지: 릴리스 노트 초안
        - [x] Alice: 청커 벤치마크 (평균 2.5 GB/s)
        - [ ] Bob: CI에 tmux 설치
        - [ ] 준호: 한글 파일 이름 테스트

        """,
        """
        # 주간 회의록 — Cairn

        참석: 김민지, Alice, Bob, 이준호

        ## 안건
        1. 0.1 릴리스 일정
        2. 블록 저장소 압축 설정

        ## 논의
        - 릴리스는 4월 첫째 주로 미룬다 (TUI 마무리).
        - 압축은 zlib 레벨 1을 기본으로 한다.
        - 압축해도 작아지지 않는 블록은 그대로 저장한다.

        ## 결정 사항
        - 데모 드라이브는 다음 회의로 넘긴다.
        - 버전은 파일마다 100개까지 보관하고, 고정한 버전은 지우지 않는다.

        ## 할 일
        - [x] 민지: 릴리스 노트 초안
        - [x] Alice: 청커 벤치마크 (평균 2.5 GB/s)
        - [x] Bob: CI에 tmux 설치
        - [ ] 준호: 한글 파일 이름 테스트
        - [ ] 민지: 다음 회의 안건 공유

        """,
    ]

    // MARK: Projects/cairn/Sources/Chunker.swift — three edits of a source file

    static let chunkerSource: [String] = [
        """
        /// Cuts a byte stream into content-defined blocks.
        struct Chunker {
            var minSize = 2048
            var maxSize = 65536

            func cut(_ bytes: [UInt8]) -> Int {
                var hash: UInt64 = 0
                for index in 0..<min(bytes.count, maxSize) {
                    hash = (hash << 1) &+ gear[Int(bytes[index])]
                    if index >= minSize && hash & mask == 0 {
                        return index + 1
                    }
                }
                return min(bytes.count, maxSize)
            }
        }

        """,
        """
        /// Cuts a byte stream into content-defined blocks.
        struct Chunker {
            var minSize = 2048
            var averageSize = 8192
            var maxSize = 65536

            func cut(_ bytes: [UInt8]) -> Int {
                guard bytes.count > minSize else { return bytes.count }
                var hash: UInt64 = 0
                for index in minSize..<min(bytes.count, maxSize) {
                    hash = (hash << 1) &+ gear[Int(bytes[index])]
                    if hash & mask == 0 {
                        return index + 1
                    }
                }
                return min(bytes.count, maxSize)
            }
        }

        """,
        """
        /// Cuts a byte stream into content-defined blocks (FastCDC).
        ///
        /// A cut depends only on the bytes before it, so an edit moves at most the cuts next to it.
        struct Chunker {
            var minSize = 2048
            var averageSize = 8192
            var maxSize = 65536

            /// The length of the next block at the start of `bytes`.
            func cut(_ bytes: [UInt8]) -> Int {
                guard bytes.count > minSize else { return bytes.count }
                var fingerprint: UInt64 = 0
                for index in minSize..<min(bytes.count, maxSize) {
                    fingerprint = (fingerprint << 1) &+ gear[Int(bytes[index])]
                    let mask = index < averageSize ? strictMask : looseMask
                    if fingerprint & mask == 0 {
                        return index + 1
                    }
                }
                return min(bytes.count, maxSize)
            }
        }

        """,
    ]

    // MARK: Projects/cairn/README.md — an edit that was undone by restoring version 1

    static let readme: [String] = [
        """
        # Cairn

        Google Drive for the terminal: files, folders and every version of them, in one store.

            cairn demo        # try it on a demo drive
            cairn put ~/notes # add a folder
            cairn log /notes/todo.txt

        """,
        """
        # Cairn

        Google Drive for the terminal.

        TODO: rewrite this README before the release.

        """,
    ]

    // MARK: 문서/예산.csv — renamed after its first version, then edited

    static let budget: [String] = [
        """
        항목,금액,비고
        서버,120000,월
        도메인,15000,연
        디자인,300000,1회

        """,
        """
        항목,금액,비고
        서버,90000,월 (요금제 변경)
        도메인,15000,연
        디자인,300000,1회
        테스트 기기,450000,1회

        """,
    ]

    static let todo = """
        할 일
        - 우유 사기
        - Call the dentist
        - 제주도 사진 정리

        """

    static let oldDraft = """
        # 초안

        이 문서는 회의록.md로 옮겼다.

        """

    static let aliceNotes: [String] = [
        "# Logo ideas\n\n- a stack of stones\n- a trail marker\n",
        "# Logo ideas\n\n- a stack of stones (favourite)\n- a trail marker\n- 돌탑 — a Korean stone tower\n",
    ]

    static let bobConfig = """
        # tmux settings for the CI end-to-end tests
        set -g default-terminal "tmux-256color"
        set -g history-limit 10000

        """

    static let junhoNotes = "한글 파일 이름 테스트\n\n- 가나다.txt\n- 한국어 폴더/문서.md\n"

    // MARK: Binaries

    /// A valid 1×1 PNG (70 bytes).
    static let icon = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    /// A stand-in photo: a JPEG/JFIF header and `size` bytes of seeded noise, so it is
    /// incompressible and spans several blocks (the copy and the edit then share them).
    static func photo(size: Int, seed: UInt64) -> Data {
        var generator = SeededGenerator(seed: seed)
        // SOI, then an APP0 segment: "JFIF", version 1.1, 72×72 dpi, no thumbnail.
        var data = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8)
        data.append(contentsOf: [0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00])
        data.append(contentsOf: generator.bytes(size - data.count - 2))
        data.append(contentsOf: [0xFF, 0xD9])
        return data
    }

    /// The photo after an edit that rewrote only its last `tail` bytes.
    static func editedPhoto(_ original: Data, tail: Int, seed: UInt64) -> Data {
        var generator = SeededGenerator(seed: seed)
        var data = original.prefix(original.count - tail)
        data.append(contentsOf: generator.bytes(tail - 2))
        data.append(contentsOf: [0xFF, 0xD9])
        return Data(data)
    }
}
