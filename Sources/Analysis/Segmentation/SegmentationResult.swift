/// Measurements of one electrode (top or bottom). JSON keys are the snake_case names.
public struct ElectrodeMeasurements: Sendable, Equatable, Codable {
    /// Run voxels not below void_max (bright noise voxels inside the run included).
    public var lithiumVoxels: Int
    public var lithiumVolumeUm3: Double
    /// Interfacial void voxels found by the walk from the mid-plane.
    public var voidVoxels: Int
    public var voidVolumeUm3: Double
    /// Columns with a non-empty lithium run.
    public var lithiumColumns: Int
    /// Columns in contact (run without a dark voxel among its 5 voxels nearest the electrolyte).
    public var contactPixels: Int
    public var contactAreaUm2: Double
    /// contact_pixels / (X·Y): the fraction of the whole cross-section in contact.
    public var contactFraction: Double
    /// Mean interface plane over lithium columns (µm from the volume's top; 0 without lithium).
    public var interfaceZUm: Double
    /// Mean current-collector plane over lithium columns (µm; 0 without lithium).
    public var collectorZUm: Double
    /// Contact map, X×Y, 1 = contact. Not part of the JSON.
    public var contactMap: ContactMap

    public init(lithiumVoxels: Int, voidVoxels: Int, lithiumColumns: Int, contactPixels: Int,
                interfaceZUm: Double, collectorZUm: Double, voxelUm: Double, columnCount: Int,
                contactMap: ContactMap) {
        let voxelVolume = voxelUm * voxelUm * voxelUm
        self.lithiumVoxels = lithiumVoxels
        self.lithiumVolumeUm3 = Double(lithiumVoxels) * voxelVolume
        self.voidVoxels = voidVoxels
        self.voidVolumeUm3 = Double(voidVoxels) * voxelVolume
        self.lithiumColumns = lithiumColumns
        self.contactPixels = contactPixels
        self.contactAreaUm2 = Double(contactPixels) * voxelUm * voxelUm
        self.contactFraction = columnCount > 0 ? Double(contactPixels) / Double(columnCount) : 0
        self.interfaceZUm = interfaceZUm
        self.collectorZUm = collectorZUm
        self.contactMap = contactMap
    }

    enum CodingKeys: String, CodingKey {
        case lithiumVoxels = "lithium_voxels"
        case lithiumVolumeUm3 = "lithium_volume_um3"
        case voidVoxels = "void_voxels"
        case voidVolumeUm3 = "void_volume_um3"
        case lithiumColumns = "lithium_columns"
        case contactPixels = "contact_pixels"
        case contactAreaUm2 = "contact_area_um2"
        case contactFraction = "contact_fraction"
        case interfaceZUm = "interface_z_um"
        case collectorZUm = "collector_z_um"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lithiumVoxels = try c.decode(Int.self, forKey: .lithiumVoxels)
        lithiumVolumeUm3 = try c.decode(Double.self, forKey: .lithiumVolumeUm3)
        voidVoxels = try c.decode(Int.self, forKey: .voidVoxels)
        voidVolumeUm3 = try c.decode(Double.self, forKey: .voidVolumeUm3)
        lithiumColumns = try c.decode(Int.self, forKey: .lithiumColumns)
        contactPixels = try c.decode(Int.self, forKey: .contactPixels)
        contactAreaUm2 = try c.decode(Double.self, forKey: .contactAreaUm2)
        contactFraction = try c.decode(Double.self, forKey: .contactFraction)
        interfaceZUm = try c.decode(Double.self, forKey: .interfaceZUm)
        collectorZUm = try c.decode(Double.self, forKey: .collectorZUm)
        contactMap = ContactMap(width: 0, height: 0)
    }
}

/// What `segment(...)` measures in one volume. JSON: `top`, `bottom`, `voxel_um`, `size`
/// ([X, Y, Z]), `bulk_pore_voxels`, `stack_thickness_um`, `thresholds`, `elapsed_s`.
public struct SegmentationResult: Sendable, Equatable, Codable {
    public var top: ElectrodeMeasurements
    public var bottom: ElectrodeMeasurements
    public var voxelUm: Double
    /// [X, Y, Z] in voxels.
    public var size: [Int]
    /// Dark runs found by the walks with electrolyte beyond them.
    public var bulkPoreVoxels: Int
    /// Mean (bottom collector − top collector) over columns with both runs, µm.
    public var stackThicknessUm: Double
    public var thresholds: SegmentationThresholds
    /// Segmentation wall time, excluding file reading.
    public var elapsedS: Double

    public init(top: ElectrodeMeasurements, bottom: ElectrodeMeasurements, voxelUm: Double, size: VolumeSize,
                bulkPoreVoxels: Int, stackThicknessUm: Double, thresholds: SegmentationThresholds,
                elapsedS: Double) {
        self.top = top
        self.bottom = bottom
        self.voxelUm = voxelUm
        self.size = [size.x, size.y, size.z]
        self.bulkPoreVoxels = bulkPoreVoxels
        self.stackThicknessUm = stackThicknessUm
        self.thresholds = thresholds
        self.elapsedS = elapsedS
    }

    enum CodingKeys: String, CodingKey {
        case top, bottom, size, thresholds
        case voxelUm = "voxel_um"
        case bulkPoreVoxels = "bulk_pore_voxels"
        case stackThicknessUm = "stack_thickness_um"
        case elapsedS = "elapsed_s"
    }
}
