import Analysis
import CellModel

/// What a synchrotron scan of the simulated cell would show: the synthetic volume whose
/// geometry follows the cell's state (lithium thickness, contact, interphase, stack).
///
/// The volume is a reduced field of view (200×200×400 voxels of 1.7 µm by default): the
/// collector-to-collector distance inside it is a baseline (82 % of the field) plus the cell's stack
/// thickness change, so the change — what the paper measures — is exact while the
/// electrolyte is shortened to fit. Void patches are where the interface lost contact.
public struct ScanGeometry: Sendable {
    public var size: VolumeSize
    public var voxelMicrometres: Double
    /// Collector-to-collector distance shown at zero stack change, µm.
    public var baselineStackMicrometres: Double
    public var noiseSigma: Float

    public init(size: VolumeSize = VolumeSize(x: 200, y: 200, z: 400), voxelMicrometres: Double = 1.7,
                baselineStackMicrometres: Double? = nil, noiseSigma: Float = 0.02) {
        self.size = size
        self.voxelMicrometres = voxelMicrometres
        // 82 % of the field's height: steel above and below, room for the stack to shrink.
        self.baselineStackMicrometres = baselineStackMicrometres ?? 0.82 * Double(size.z) * voxelMicrometres
        self.noiseSigma = noiseSigma
    }

    /// Analysed area of one scan, µm² (the columns of the field of view).
    public var analysedAreaSquareMicrometres: Double {
        Double(size.columnCount) * voxelMicrometres * voxelMicrometres
    }

    public func parameters(for state: CellState, seed: UInt64) -> SyntheticVolumeParameters {
        // Keep every phase representable: at least a few voxels of lithium and interphase, and
        // no electrode thicker than a third of the stack shown (small fields of view).
        let minimumLithium = 12 * voxelMicrometres
        let maximumLithium = baselineStackMicrometres / 3
        return SyntheticVolumeParameters(
            size: size, voxelUm: voxelMicrometres,
            lithiumThicknessTopUm: min(maximumLithium, max(minimumLithium, state.topLithiumThicknessMicrometres)),
            lithiumThicknessBottomUm: min(maximumLithium, max(minimumLithium, state.bottomLithiumThicknessMicrometres)),
            contactFractionTop: min(1, max(0, state.topContactFraction)),
            contactFractionBottom: min(1, max(0, state.bottomContactFraction)),
            voidThicknessUm: 5,
            stackThicknessUm: baselineStackMicrometres + state.stackThicknessChangeMicrometres,
            interphaseThicknessUm: max(3 * voxelMicrometres, max(state.topInterphaseThicknessMicrometres, state.bottomInterphaseThicknessMicrometres)),
            roughnessUm: 3, noiseSigma: noiseSigma, seed: seed)
    }
}
