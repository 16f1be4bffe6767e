import Foundation
import XCTest
@testable import Analysis

final class InterphaseForestTests: XCTestCase {
    /// Three classes around separated centres in features 0 and 1; features 2 and 3 are noise.
    static func toyData(count: Int, seed: UInt64) -> (samples: [Float], labels: [UInt8]) {
        var rng = Xoshiro256StarStar(seed: seed)
        func unit() -> Float { Float(rng.next() >> 40) / Float(1 << 24) }
        let centres: [(Float, Float)] = [(0, 0), (3, 0), (0, 3)]
        var samples: [Float] = [], labels: [UInt8] = []
        for i in 0..<count {
            let k = i % 3
            samples += [centres[k].0 + unit() - 0.5, centres[k].1 + unit() - 0.5, unit() * 10, unit()]
            labels.append(UInt8(k))
        }
        return (samples, labels)
    }

    func testSeparableDataIsLearnedWithSmallOutOfBagError() throws {
        let (samples, labels) = Self.toyData(count: 600, seed: 3)
        let forest = try RandomForest.train(samples: samples, labels: labels, featureCount: 4, classCount: 3,
                                            parameters: ForestParameters(trees: 20, maxDepth: 8, seed: 7), threads: 2)
        let oob = try XCTUnwrap(forest.outOfBagError)
        XCTAssertLessThan(oob, 0.02)
        let (test, truth) = Self.toyData(count: 300, seed: 99)
        var right = 0
        for i in 0..<truth.count where forest.predict(Array(test[(i * 4)..<(i * 4 + 4)])) == Int(truth[i]) { right += 1 }
        XCTAssertGreaterThan(Double(right) / 300, 0.98)
        let p = forest.probabilities([3, 0, 5, 0.5])
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertGreaterThan(p[1], 0.9, "a point at class 1's centre")
    }

    func testOutOfBagErrorIsLargeOnLabelsThatCarryNoSignal() throws {
        var (samples, labels) = Self.toyData(count: 600, seed: 3)
        var rng = Xoshiro256StarStar(seed: 5)
        for i in labels.indices { labels[i] = UInt8(rng.below(3)) }
        samples[0] += 0
        let forest = try RandomForest.train(samples: samples, labels: labels, featureCount: 4, classCount: 3,
                                            parameters: ForestParameters(trees: 20, maxDepth: 8, seed: 7), threads: 1)
        XCTAssertGreaterThan(try XCTUnwrap(forest.outOfBagError), 0.5, "random labels: OOB near 2/3")
    }

    func testTrainingIsDeterministicInTheSeedWhateverTheThreads() throws {
        let (samples, labels) = Self.toyData(count: 300, seed: 1)
        func train(seed: UInt64, threads: Int) throws -> RandomForest {
            try RandomForest.train(samples: samples, labels: labels, featureCount: 4, classCount: 3,
                                   parameters: ForestParameters(trees: 6, maxDepth: 6, seed: seed), threads: threads)
        }
        let a = try train(seed: 1, threads: 1), b = try train(seed: 1, threads: 2), c = try train(seed: 2, threads: 1)
        XCTAssertTrue(a == b, "same seed, 1 and 2 threads: the same forest")
        XCTAssertTrue(a.trees != c.trees, "another seed grows other trees")
        XCTAssertLessThanOrEqual(a.trees.map(\.depth).max()!, 6)
    }

    func testXorNeedsAndGetsMoreThanOneSplit() throws {
        var samples: [Float] = [], labels: [UInt8] = []
        for i in 0..<400 {
            let x = Float(i % 20) / 20, y = Float(i / 20) / 20
            samples += [x, y]
            labels.append((x < 0.5) != (y < 0.5) ? 1 : 0)
        }
        let forest = try RandomForest.train(samples: samples, labels: labels, featureCount: 2, classCount: 2,
                                            parameters: ForestParameters(trees: 8, maxDepth: 6, featuresPerSplit: 2, seed: 4))
        XCTAssertEqual(forest.predict([0.1, 0.9]), 1)
        XCTAssertEqual(forest.predict([0.9, 0.9]), 0)
        XCTAssertGreaterThanOrEqual(forest.trees[0].depth, 2)
    }

    func testBadParametersAreErrors() {
        XCTAssertThrowsError(try RandomForest.train(samples: [0, 1], labels: [0], featureCount: 2, classCount: 2,
                                                    parameters: ForestParameters(trees: 0)))
        XCTAssertThrowsError(try RandomForest.train(samples: [0, 1], labels: [0, 1], featureCount: 2, classCount: 2),
                             "4 values needed for 2 samples × 2 features")
        XCTAssertThrowsError(try RandomForest.train(samples: [0, 1], labels: [0, 5], featureCount: 1, classCount: 2))
    }

    func testTheBranchFreeVoxelPathAgreesWithPerSamplePrediction() throws {
        let (samples, labels) = Self.toyData(count: 450, seed: 8)
        let forest = try RandomForest.train(samples: samples, labels: labels, featureCount: 4, classCount: 3,
                                            parameters: ForestParameters(trees: 9, maxDepth: 7, seed: 2))
        // Noisy test points near the class borders, laid out feature-major as slabs are.
        let (test, _) = Self.toyData(count: 301, seed: 77)
        let n = 301
        var featureMajor = [Float](repeating: 0, count: 4 * n)
        for i in 0..<n { for f in 0..<4 { featureMajor[f * n + i] = test[i * 4 + f] * 0.6 + 0.4 } }
        var out = [UInt8](repeating: 0, count: n)
        featureMajor.withUnsafeBufferPointer { fm in
            out.withUnsafeMutableBufferPointer { o in
                PackedForest(forest).classify(features: fm.baseAddress!, stride: n, count: n, into: o.baseAddress!)
            }
        }
        var classes = Set<UInt8>()
        for i in 0..<n {
            let sample = (0..<4).map { featureMajor[$0 * n + i] }
            XCTAssertEqual(Int(out[i]) - 1, forest.predict(sample), "sample \(i)")
            classes.insert(out[i])
        }
        XCTAssertEqual(classes.count, 3, "the test points reach every class")
    }
}
