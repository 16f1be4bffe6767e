import XCTest
@testable import Analysis

/// The streaming kernel against a literal, column-at-a-time reading of SCIENCE.md's rules
/// (walks done voxel by voxel from the mid-plane), on random layered columns.
final class LiteralRulesTests: XCTestCase {
    struct Column: Equatable {
        var topLithium = 0, topVoid = 0, topContact = 0, topColumns = 0
        var bottomLithium = 0, bottomVoid = 0, bottomContact = 0, bottomColumns = 0
        var bulkPores = 0
        var topCollector = 0, topInterface = 0, bottomInterface = 0, bottomCollector = 0
    }

    /// The rules as written, no streaming.
    func literal(_ c: [Float], _ t: SegmentationThresholds) -> Column {
        let V = t.voidMax, L = t.lithiumMax, I = t.interphaseMin
        let n = c.count, half = n / 2
        func meanDown(_ k: Int) -> Float { let idx = (k..<Swift.min(n, k + 3)); return idx.map { c[$0] }.reduce(0, +) / Float(idx.count) }
        func meanUp(_ k: Int) -> Float { let idx = (Swift.max(0, k - 2)...k); return idx.map { c[$0] }.reduce(0, +) / Float(idx.count) }
        var r = Column()
        // Top run.
        var z = 0
        while z < half && c[z] >= L { z += 1 }
        var topEnd = half
        if z < half {
            let start = z
            var k = start + 1
            while k < half { if c[k] >= L && meanDown(k) > I { topEnd = k; break }; k += 1 }
            r.topColumns = 1
            r.topLithium = (start..<topEnd).filter { c[$0] >= V }.count
            r.topContact = (Swift.max(start, topEnd - 5)..<topEnd).contains { c[$0] < V } ? 0 : 1
            r.topCollector = start; r.topInterface = topEnd
        }
        // Bottom run, mirrored.
        z = n - 1
        while z >= half && c[z] >= L { z -= 1 }
        var bottomTop = half
        if z >= half {
            let start = z
            var k = start - 1
            while k >= half { if c[k] >= L && meanUp(k) > I { bottomTop = k + 1; break }; k -= 1 }
            r.bottomColumns = 1
            r.bottomLithium = (bottomTop...start).filter { c[$0] >= V }.count
            r.bottomContact = (bottomTop..<Swift.min(start + 1, bottomTop + 5)).contains { c[$0] < V } ? 0 : 1
            r.bottomInterface = bottomTop; r.bottomCollector = start + 1
        }
        let mid = ((r.topColumns == 1 ? topEnd : half) + (r.bottomColumns == 1 ? bottomTop : half)) / 2
        // Walk up from mid − 1.
        z = mid - 1
        walkUp: while z >= 0 {
            if c[z] < V {
                let start = z
                var k = z - 1
                while k >= 0 {
                    if c[k] < V { k -= 1; continue }
                    let m = meanUp(k)
                    if m < V { k -= 1; continue }
                    if m < L { r.topVoid = start - k; break walkUp }
                    r.bulkPores += start - k
                    z = k - 1
                    continue walkUp
                }
                break walkUp   // dark run reaches the volume's edge: not counted
            } else if c[z] < L {
                break
            } else {
                z -= 1
            }
        }
        // Walk down from mid.
        z = mid
        walkDown: while z < n {
            if c[z] < V {
                let start = z
                var k = z + 1
                while k < n {
                    if c[k] < V { k += 1; continue }
                    let m = meanDown(k)
                    if m < V { k += 1; continue }
                    if m < L { r.bottomVoid = k - start; break walkDown }
                    r.bulkPores += k - start
                    z = k + 1
                    continue walkDown
                }
                break walkDown
            } else if c[z] < L {
                break
            } else {
                z += 1
            }
        }
        return r
    }

    func testKernelEqualsLiteralRulesOnRandomLayeredColumns() throws {
        let t = SegmentationThresholds.paperDefaults
        let levels: [Float] = [0.05, 0.25, 0.38, 0.47, 0.62, 0.9]
        var rng = SplitMix64(seed: 77)
        var coverage = (topVoid: 0, bottomVoid: 0, pores: 0, noContact: 0, noTop: 0, noBottom: 0)
        for trial in 0..<3000 {
            let n = 4 + Int(rng.next() % 60)
            var c = [Float]()
            while c.count < n {
                let level = levels[Int(rng.next() % UInt64(levels.count))]
                let length = 1 + Int(rng.next() % 6)
                for _ in 0..<length where c.count < n {
                    c.append(level + Float(rng.unit() - 0.5) * 0.1)
                }
            }
            let volume = try Volume(size: VolumeSize(x: 1, y: 1, z: n), voxels: c)
            let s = try segment(volume, thresholds: t, voxelUm: 1, threads: 1)
            let want = literal(c, t)
            var got = Column()
            got.topLithium = s.top.lithiumVoxels; got.topVoid = s.top.voidVoxels
            got.topContact = s.top.contactPixels; got.topColumns = s.top.lithiumColumns
            got.bottomLithium = s.bottom.lithiumVoxels; got.bottomVoid = s.bottom.voidVoxels
            got.bottomContact = s.bottom.contactPixels; got.bottomColumns = s.bottom.lithiumColumns
            got.bulkPores = s.bulkPoreVoxels
            got.topCollector = Int(s.top.collectorZUm); got.topInterface = Int(s.top.interfaceZUm)
            got.bottomInterface = Int(s.bottom.interfaceZUm); got.bottomCollector = Int(s.bottom.collectorZUm)
            if got != want {
                XCTFail("trial \(trial): column \(c.map { String(format: "%.2f", $0) })\n kernel  \(got)\n literal \(want)")
                return
            }
            if want.topVoid > 0 { coverage.topVoid += 1 }
            if want.bottomVoid > 0 { coverage.bottomVoid += 1 }
            if want.bulkPores > 0 { coverage.pores += 1 }
            if want.topColumns == 1 && want.topContact == 0 { coverage.noContact += 1 }
            if want.topColumns == 0 { coverage.noTop += 1 }
            if want.bottomColumns == 0 { coverage.noBottom += 1 }
        }
        // The random columns must exercise every branch of the rules.
        for (name, count) in [("top void", coverage.topVoid), ("bottom void", coverage.bottomVoid),
                              ("bulk pores", coverage.pores), ("no contact", coverage.noContact),
                              ("no top run", coverage.noTop), ("no bottom run", coverage.noBottom)] {
            XCTAssertGreaterThan(count, 20, name)
        }
    }
}
