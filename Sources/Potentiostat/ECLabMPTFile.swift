// File I/O for `.mpt` imports, kept apart from the pure parser.

import Foundation

public enum ECLabMPTFile {
    /// Reads and parses an `.mpt` export; errors carry the path.
    public static func read(path: String, parser: ECLabMPTParser = ECLabMPTParser()) throws(ECLabMPTError) -> ECLabMPTData {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ECLabMPTError(kind: .unreadableFile(reason: "\(error.localizedDescription)"),
                                path: path, line: 0, column: 0, byteOffset: 0)
        }
        do {
            return try parser.parse([UInt8](data))
        } catch {
            var e = error
            e.path = path
            throw e
        }
    }
}
