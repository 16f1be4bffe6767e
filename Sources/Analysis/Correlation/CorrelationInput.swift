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

    /// From the segmentation's per-electrode measurements.
    public init(_ m: ElectrodeMeasurements) {
        self.init(lithiumVolumeCubicMicrometres: m.lithiumVolumeUm3, contactAreaSquareMicrometres: m.contactAreaUm2,
                  contactFraction: m.contactFraction, interfaceZMicrometres: m.interfaceZUm,
                  collectorZMicrometres: m.collectorZUm,
                  contactMap: m.contactMap.width > 0 && m.contactMap.height > 0 ? m.contactMap : nil)
    }

    // `ContactMap` (Segmentation) is not Codable; it is encoded here as
    // {"width", "height", "pixels"} so this type stays Codable without adding a conformance
    // to a type owned elsewhere.
    enum CodingKeys: String, CodingKey {
        case lithiumVolumeCubicMicrometres, contactAreaSquareMicrometres, contactFraction
        case interfaceZMicrometres, collectorZMicrometres, contactMap
    }
    enum MapKeys: String, CodingKey { case width, height, pixels }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lithiumVolumeCubicMicrometres = try c.decodeIfPresent(Double.self, forKey: .lithiumVolumeCubicMicrometres)
        contactAreaSquareMicrometres = try c.decodeIfPresent(Double.self, forKey: .contactAreaSquareMicrometres)
        contactFraction = try c.decodeIfPresent(Double.self, forKey: .contactFraction)
        interfaceZMicrometres = try c.decodeIfPresent(Double.self, forKey: .interfaceZMicrometres)
        collectorZMicrometres = try c.decodeIfPresent(Double.self, forKey: .collectorZMicrometres)
        if c.contains(.contactMap), try !c.decodeNil(forKey: .contactMap) {
            let m = try c.nestedContainer(keyedBy: MapKeys.self, forKey: .contactMap)
            let w = try m.decode(Int.self, forKey: .width), h = try m.decode(Int.self, forKey: .height)
            let px = try m.decode([UInt8].self, forKey: .pixels)
            guard w >= 0, h >= 0, px.count == w * h else {
                throw DecodingError.dataCorruptedError(forKey: .pixels, in: m,
                    debugDescription: "contact map has \(px.count) pixels, expected \(w)×\(h)")
            }
            contactMap = ContactMap(width: w, height: h, pixels: px)
        } else {
            contactMap = nil
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(lithiumVolumeCubicMicrometres, forKey: .lithiumVolumeCubicMicrometres)
        try c.encodeIfPresent(contactAreaSquareMicrometres, forKey: .contactAreaSquareMicrometres)
        try c.encodeIfPresent(contactFraction, forKey: .contactFraction)
        try c.encodeIfPresent(interfaceZMicrometres, forKey: .interfaceZMicrometres)
        try c.encodeIfPresent(collectorZMicrometres, forKey: .collectorZMicrometres)
        if let map = contactMap {
            var m = c.nestedContainer(keyedBy: MapKeys.self, forKey: .contactMap)
            try m.encode(map.width, forKey: .width)
            try m.encode(map.height, forKey: .height)
            try m.encode(map.pixels, forKey: .pixels)
        }
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

    /// From a segmentation result: both interfaces, stack thickness, and the analysed area
    /// (X × Y columns × voxel²). Times are the scan's, on the beamline clock.
    public init(id: Int, label: String = "", startUnixSeconds: Double, endUnixSeconds: Double,
                segmentation r: SegmentationResult) {
        let columns = r.size.count >= 2 ? Double(r.size[0] * r.size[1]) : 0
        self.init(id: id, label: label, startUnixSeconds: startUnixSeconds, endUnixSeconds: endUnixSeconds,
                  top: InterfaceMeasurement(r.top), bottom: InterfaceMeasurement(r.bottom),
                  stackThicknessMicrometres: r.stackThicknessUm,
                  analysedAreaSquareMicrometres: columns > 0 ? columns * r.voxelUm * r.voxelUm : nil)
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
    /// Free-form cell/assembly metadata shown in the report, in order.
    public var metadata: [MetadataItem] = []

    public init() {}
}

/// One line of cell/assembly metadata for the report ("Torque", "0.25 N·m per screw").
public struct MetadataItem: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}
