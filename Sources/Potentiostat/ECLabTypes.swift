// What an imported BioLogic EC-Lab `.mpt` text export becomes: samples in SI units plus
// the header facts the agent records. EC-Lab's own units (mA, mA.h) are converted here,
// once, so nothing downstream has to know them.

/// One data row of an `.mpt` export, in SI units.
public struct ECLabSample: Sendable, Equatable {
    public var timeSeconds: Double
    /// `Ewe/V` (or `<Ewe/V>`, `<Ewe>/V`, `Ecell/V`); nil when the file has no potential column.
    public var voltageVolts: Double?
    /// `I/mA` or `<I>/mA` (other current units converted too); nil without a current column.
    public var currentAmps: Double?
    /// `(Q-Qo)` converted to coulombs (1 mA·h = 3.6 C); nil without a charge column.
    public var chargeCoulombs: Double?
    /// `cycle number`, nil if absent.
    public var cycle: Int?
    /// `Ns`, the technique's sequence (step) index, nil if absent.
    public var sequenceIndex: Int?

    public init(timeSeconds: Double, voltageVolts: Double?, currentAmps: Double?,
                chargeCoulombs: Double?, cycle: Int?, sequenceIndex: Int?) {
        self.timeSeconds = timeSeconds
        self.voltageVolts = voltageVolts
        self.currentAmps = currentAmps
        self.chargeCoulombs = chargeCoulombs
        self.cycle = cycle
        self.sequenceIndex = sequenceIndex
    }
}

/// Header facts of an `.mpt` export.
public struct ECLabHeader: Sendable, Equatable {
    /// The technique name as EC-Lab writes it ("Chronopotentiometry", "Modulo Bat", ...).
    public var technique: String?
    /// "Acquisition started on : MM/DD/YYYY HH:MM:SS.fff", as written.
    public var acquisitionStartText: String?
    /// The same, parsed (EC-Lab writes month first; the file has no time zone, so this
    /// is the instrument PC's local wall-clock time). Nil if absent or unparseable.
    public var acquisitionStart: ECLabWallClockTime?
    /// Declared header line count (`Nb header lines : N`), including the column-name line.
    public var headerLineCount: Int
    /// All header lines, decoded from Windows-1252, without line terminators.
    public var lines: [String]
}

/// A local date and time without zone, as written in EC-Lab headers.
public struct ECLabWallClockTime: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
}

/// A parsed `.mpt` export.
public struct ECLabMPTData: Sendable, Equatable {
    public var header: ECLabHeader
    /// Column names as written (decoded from Windows-1252, e.g. `Capacitance charge/µF`).
    public var columnNames: [String]
    /// Every column's values, column-major, in EC-Lab's units as written.
    public var columns: [[Double]]
    /// The rows in SI units.
    public var samples: [ECLabSample]
    /// True if an incomplete last row was dropped (only with `tolerateIncompleteLastRow`).
    public var droppedIncompleteLastRow: Bool

    /// The values of a column by its exact name, in the file's units.
    public func column(named name: String) -> [Double]? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }
}

/// Why an `.mpt` could not be imported, and where.
public struct ECLabMPTError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unreadableFile(reason: String)
        case notAnECLabTextExport
        case missingHeaderLineCount
        case invalidHeaderLineCount(String)
        case headerLongerThanFile(declared: Int, linesInFile: Int)
        case noColumns
        case missingTimeColumn
        case wrongFieldCount(expected: Int, found: Int)
        case invalidNumber(text: String, columnName: String)
    }

    public var kind: Kind
    /// File path when read from disk.
    public var path: String?
    /// 1-based line number in the file (0 when not about a line).
    public var line: Int
    /// 1-based tab-separated column (field) number (0 when about the whole line).
    public var column: Int
    /// 0-based byte offset of the line or field in the file.
    public var byteOffset: Int

    public var description: String {
        var s = "EC-Lab .mpt import failed"
        if let path { s += " (\(path))" }
        if line > 0 { s += " at line \(line)" }
        if column > 0 { s += ", column \(column)" }
        return s + " (byte \(byteOffset)): \(kind)"
    }
}
