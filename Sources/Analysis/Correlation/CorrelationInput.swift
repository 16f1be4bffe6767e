import Foundation

/// One logged quantity over time. `timeUnixSeconds` is on the logger's (SBC's) clock and
/// must be ascending; `values` has the same count. The unit is carried by the field that
/// holds the series in `CorrelationInput` (e.g. `pressureMegapascals`).
public struct TimeSeries: Codable, Sendable, Equatable {
    public var timeUnixSeconds: [Double]
    public var values: [Double]

    public init(timeUnixSeconds: [Double] = [], values: [Double] = []) {
        self.timeUnixSeconds = timeUnixSeconds
        self.values = values
    }

    /// Usable samples: equal counts, at least one sample.
    public var isEmpty: Bool { timeUnixSeconds.isEmpty || values.count != timeUnixSeconds.count }
    public var count: Int { isEmpty ? 0 : timeUnixSeconds.count }
}

/// A width × height projection of contact onto the interface plane, row-major, one byte
/// per pixel (0 = no contact, non-zero = contact).
public struct ContactMap: Codable, Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public var isValid: Bool { width > 0 && height > 0 && pixels.count == width * height }
}

/// What segmentation measured at one electrode/electrolyte interface in one scan.
public struct InterfaceMeasurement: Codable, Sendable, Equatable {
    public var lithiumVolumeCubicMicrometres: Double?
    public var contactAreaSquareMicrometres: Double?
    /// Contact area ÷ analysed area, 0…1.
    public var contactFraction: Double?
    public var interfaceZMicrometres: Double?
    public var collectorZMicrometres: Double?
    public var contactMap: ContactMap?

    public init(lithiumVolumeCubicMicrometres: Double? = nil, contactAreaSquareMicrometres: Double? = nil,
                contactFraction: Double? = nil, interfaceZMicrometres: Double? = nil,
                collectorZMicrometres: Double? = nil, contactMap: ContactMap? = nil) {
        self.lithiumVolumeCubicMicrometres = lithiumVolumeCubicMicrometres
        self.contactAreaSquareMicrometres = contactAreaSquareMicrometres
        self.contactFraction = contactFraction
        self.interfaceZMicrometres = interfaceZMicrometres
        self.collectorZMicrometres = collectorZMicrometres
        self.contactMap = contactMap
    }
}

/// One tomography scan: when it was taken (on the beamline's clock) and what it measured.
public struct ScanRecord: Codable, Sendable, Equatable {
    public var id: Int
    public var label: String
    public var startUnixSeconds: Double
    public var endUnixSeconds: Double
    public var top: InterfaceMeasurement?
    public var bottom: InterfaceMeasurement?
    /// Current collector to current collector.
    public var stackThicknessMicrometres: Double?
    /// Area of the interface plane covered by the analysed sub-volume.
    public var analysedAreaSquareMicrometres: Double?

    public init(id: Int, label: String = "", startUnixSeconds: Double, endUnixSeconds: Double,
                top: InterfaceMeasurement? = nil, bottom: InterfaceMeasurement? = nil,
                stackThicknessMicrometres: Double? = nil, analysedAreaSquareMicrometres: Double? = nil) {
        self.id = id
        self.label = label
        self.startUnixSeconds = startUnixSeconds
        self.endUnixSeconds = endUnixSeconds
        self.top = top
        self.bottom = bottom
        self.stackThicknessMicrometres = stackThicknessMicrometres
        self.analysedAreaSquareMicrometres = analysedAreaSquareMicrometres
    }

    public func measurement(_ side: InterfaceSide) -> InterfaceMeasurement? {
        side == .top ? top : bottom
    }
}

/// Which electrode/electrolyte interface.
public enum InterfaceSide: String, Codable, Sendable, CaseIterable {
    case top, bottom
    public var other: InterfaceSide { self == .top ? .bottom : .top }
}

/// A half cycle on the logger's clock. `strippingSide` is where lithium is oxidised.
public struct HalfCycleBounds: Codable, Sendable, Equatable {
    public var startUnixSeconds: Double
    public var endUnixSeconds: Double
    public var strippingSide: InterfaceSide

    public init(startUnixSeconds: Double, endUnixSeconds: Double, strippingSide: InterfaceSide) {
        self.startUnixSeconds = startUnixSeconds
        self.endUnixSeconds = endUnixSeconds
        self.strippingSide = strippingSide
    }
}

/// Everything the correlation needs, filled by the caller (e.g. from the Store).
/// Empty series / no scans are allowed: the summary lists what is missing.
public struct CorrelationInput: Codable, Sendable {
    public var voltageVolts = TimeSeries()
    public var currentAmps = TimeSeries()
    /// Cumulative charge passed; if empty, charge is integrated from `currentAmps`.
    public var chargeCoulombs = TimeSeries()
    public var forceNewtons = TimeSeries()
    public var pressureMegapascals = TimeSeries()
    public var scans: [ScanRecord] = []
    /// Electrode area (the paper's cell: 2 mm diameter = 3.14 mm²).
    public var electrodeAreaSquareMillimetres: Double = 3.14
    /// If nil, half cycles are derived from sign changes of the current.
    public var halfCycles: [HalfCycleBounds]?
    /// Added to scan times to put them on the logger's clock (beamline clock → SBC clock).
    public var clockOffsetSeconds: Double = 0
    /// The linear fit of |V| vs effective current density uses points with |V| below this.
    public var voltageBoundVolts: Double = 0.8
    /// Voltage cut-off of the protocol, if known (used to flag half cycles that hit it).
    public var cutoffVolts: Double?
    /// Positive current strips lithium at this interface (the working electrode).
    public var positiveCurrentStrips: InterfaceSide = .top
    /// Free-form cell/assembly metadata shown in the report (key, value), in order.
    public var metadata: [[String]] = []

    public init() {}
}
