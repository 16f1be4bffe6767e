import Foundation
import XCTest
@testable import Analysis

/// The acceptance test of issue 11: a textured interphase that one threshold window cannot
/// measure, and that a forest trained on three labelled slices measures within 5 %.
final class InterphaseSyntheticTests: XCTestCase {
    static let parameters = SyntheticVolumeParameters(
        size: VolumeSize(x: 48, y: 48, z: 96), voxelUm: 1.7,
        lithiumThicknessTopUm: 24, lithiumThicknessBottomUm: 24,
        contactFractionTop: 0.6, contactFractionBottom: 0.3, voidThicknessUm: 5,
        interphaseThicknessUm: 12, roughnessUm: 4, bulkPoreFraction: 0.002, noiseSigma: 0.03, seed: 11)

    /// Labels of three xz slices (y = 8, 24, 40) copied from the truth: what a person would
    /// paint on three cross-sections.
    static func threeSliceLabels(_ phases: Volume<UInt8>) throws -> TrainingLabels {
        let s = phases.size
        var labels = Volume<UInt8>(size: s, repeating: 0)
        for y in [s.y / 6, s.y / 2, 5 * s.y / 6] {
            for z in 0..<s.z { for x in 0..<s.x { labels[x, y, z] = phases[x, y, z] } }
        }
        return try TrainingLabels.fromLabelVolume(labels, classNames: SyntheticInterphase.classNames,
                                                  volumeSize: s, path: "three slices")
    }

    func testOneThresholdFailsWhereTheForestMeasuresTheInterphaseWithinFivePercent() throws {
        let (volume, phases) = try SyntheticInterphase.generate(Self.parameters, threads: 2)
        let truth = phases.voxels.filter { $0 == SyntheticInterphase.interphaseLabel }.count
        XCTAssertGreaterThan(truth, 1000, "the synthetic stack must have an interphase layer")

        // A threshold window between the neighbouring phases' mean grey levels.
        let meanInterphase = (SyntheticInterphase.Texture().darkGrain + SyntheticInterphase.Texture().brightGrain) / 2
        let low = (SyntheticGreyLevels.lithium + meanInterphase) / 2
        let high = (meanInterphase + SyntheticGreyLevels.lsps) / 2
        let thresholded = SyntheticInterphase.thresholdCount(volume, low: low, high: high)
        let thresholdError = abs(Double(thresholded - truth)) / Double(truth)
        XCTAssertGreaterThan(thresholdError, 0.20, "threshold window [\(low), \(high)): \(thresholded) vs truth \(truth)")
        // The paper's interphase_min as the lower bound fares no better.
        let paper = SyntheticInterphase.thresholdCount(volume, low: SegmentationThresholds.paperDefaults.interphaseMin, high: high)
        XCTAssertGreaterThan(abs(Double(paper - truth)) / Double(truth), 0.20, "paper window: \(paper) vs \(truth)")

        let labels = try Self.threeSliceLabels(phases)
        let model = try InterphaseModel.train(volume: volume, labels: labels,
                                              forest: ForestParameters(trees: 16, maxDepth: 12, seed: 1), threads: 2)
        let predicted = try model.classify(volume, threads: 2)
        let report = try InterphaseReport(labels: predicted, model: model, voxelUm: 1.7)
        let found = report.top.voxels + report.bottom.voxels
        let forestError = abs(Double(found - truth)) / Double(truth)
        XCTAssertLessThan(forestError, 0.05, "forest: \(found) interphase voxels vs truth \(truth)")
        // Not only the count: the right voxels (Dice overlap).
        var both = 0
        for (p, t) in zip(predicted.voxels, phases.voxels) where p == 3 && t == 3 { both += 1 }
        let dice = 2 * Double(both) / Double(found + truth)
        XCTAssertGreaterThan(dice, 0.85, "Dice overlap \(dice)")
        // Both interfaces, split at Z/2, against their own truth.
        let half = volume.size.z / 2 * volume.size.columnCount
        let truthTop = phases.voxels[..<half].filter { $0 == 3 }.count
        XCTAssertEqual(Double(report.top.voxels), Double(truthTop), accuracy: 0.07 * Double(truthTop))
        XCTAssertEqual(report.top.volumeUm3, Double(report.top.voxels) * 1.7 * 1.7 * 1.7, accuracy: 1e-6)
        print("interphase truth \(truth), threshold \(thresholded) (\(Int(thresholdError * 100)) % off), forest \(found) (\(String(format: "%.1f", forestError * 100)) % off), Dice \(String(format: "%.3f", dice)), OOB \(model.forest.outOfBagError ?? -1)")
    }
}
