// The column state machine of SCIENCE.md "Segmentation conventions", run over a slab of
// columns with the state of every column in a flat array so each slice is read once,
// contiguously. Two sweeps per slab, each reading only what it needs:
//  1. bottom electrode, mirrored: from z = Z−1 up to Z/2 until every column's run ended;
//  2. forward from z = 0: the top run, the upward void walk as a running function
//     f(z) = "result of a walk starting at z" (snapshotted at z = mid−1), and the
//     downward walk from mid until it stops. mid needs both runs' ends, which is why
//     the bottom run comes first.
// No allocation per voxel; the lookahead/lookback voxels of the 3-voxel means are read
// from the neighbouring slices (already in cache).
//
// Where SCIENCE.md leaves a choice, this is what the code does (LiteralRulesTests checks
// the kernel against a voxel-by-voxel reading with the same choices):
// - 3-voxel means at the volume's ends average the voxels that exist.
// - A run still open at Z/2 ends there (interface = Z/2).
// - mid = (top interface + bottom interface) / 2, a missing run counting as Z/2; the
//   upward walk starts at mid − 1, the downward one at mid.
// - A dark run's closing voxel is consumed by the close: after a bulk pore the walk goes
//   on with the voxel beyond it. Non-dark voxels whose mean is < void_max ("still dark")
//   count in the dark run's length.
// - A dark run that reaches the volume's edge without a closing voxel is not counted.
// - lithium_columns = columns with a non-empty run (even if all its voxels are dark);
//   contact_fraction = contact pixels / (X·Y).

/// Per-column state, array-of-structs so one column's fields share a cache line.
struct ColumnState {
    // Bottom run (mirrored sweep). phase: 0 in steel, 1 in run, 2 ended.
    var bPhase: Int32 = 0
    var bCollector: Int32 = 0      // one past the bottommost run voxel
    var bInterface: Int32 = 0      // topmost run voxel
    var bDark: Int32 = 0
    var bFirstDark: Int32 = Int32.max   // smallest z of a dark run voxel
    // Top run.
    var tPhase: Int32 = 0
    var tStart: Int32 = 0
    var tEnd: Int32 = 0
    var tDark: Int32 = 0
    var tLastDark: Int32 = -1
    var mid: Int32 = Int32.max     // unknown until the top run has ended
    // Upward walk as a running function f(z): void and pore counts of a walk from z.
    var fVoid: Int32 = 0
    var fPore: Int32 = 0
    var closerZ: Int32 = -1        // last voxel that is not "weakly dark" (-1: none)
    var closerIsPore: Int32 = 0
    var snapVoid: Int32 = 0        // f(closerZ − 1)
    var snapPore: Int32 = 0
    var topVoid: Int32 = 0         // f(mid − 1)
    var topPore: Int32 = 0
    // Downward walk from mid. state: 0 walking, 1 in a dark run, 2 stopped.
    var wState: Int32 = 0
    var wStart: Int32 = 0
    var bVoid: Int32 = 0
    var bPore: Int32 = 0
}

/// Sums over a slab of columns; merged after all slabs ran.
struct SlabTotals {
    var topLithium = 0, topVoid = 0, topColumns = 0, topContact = 0
    var topStartSum = 0, topEndSum = 0
    var bottomLithium = 0, bottomVoid = 0, bottomColumns = 0, bottomContact = 0
    var bottomInterfaceSum = 0, bottomCollectorSum = 0
    var stackColumns = 0, stackSum = 0
    var bulkPores = 0

    mutating func add(_ o: SlabTotals) {
        topLithium += o.topLithium; topVoid += o.topVoid; topColumns += o.topColumns
        topContact += o.topContact; topStartSum += o.topStartSum; topEndSum += o.topEndSum
        bottomLithium += o.bottomLithium; bottomVoid += o.bottomVoid
        bottomColumns += o.bottomColumns; bottomContact += o.bottomContact
        bottomInterfaceSum += o.bottomInterfaceSum; bottomCollectorSum += o.bottomCollectorSum
        stackColumns += o.stackColumns; stackSum += o.stackSum; bulkPores += o.bulkPores
    }
}

/// Runs both sweeps over columns [c0, c1) of a volume. `state` has room for c1 − c0
/// columns; contact maps are written at the column index.
@inline(__always)
func segmentSlab<Scalar: VoxelScalar>(
    voxels p: UnsafePointer<Scalar>, size: VolumeSize, c0: Int, c1: Int,
    thresholds t: SegmentationThresholds, state st: UnsafeMutablePointer<ColumnState>,
    topMap: UnsafeMutablePointer<UInt8>, bottomMap: UnsafeMutablePointer<UInt8>
) -> SlabTotals {
    let plane = size.x * size.y
    let nz = size.z
    let half = nz / 2
    let width = c1 - c0
    let V = t.voidMax, L = t.lithiumMax, I = t.interphaseMin
    st.initialize(repeating: ColumnState(), count: width)

    // Sweep 1: bottom electrode, z = Z−1 down to half.
    var active = width
    var z = nz - 1
    while z >= half && active > 0 {
        let s = p + (z * plane + c0)
        let s1 = p + (Swift.max(z - 1, 0) * plane + c0)   // one voxel up (towards electrolyte)
        let s2 = p + (Swift.max(z - 2, 0) * plane + c0)
        let z32 = Int32(z)
        for i in 0..<width {
            let phase = st[i].bPhase
            if phase == 2 { continue }
            let v = s[i].floatValue
            if phase == 0 {
                if v < L {
                    st[i].bPhase = 1
                    st[i].bCollector = z32 + 1
                    if v < V { st[i].bDark = 1; st[i].bFirstDark = z32 }
                }
            } else if v >= L {
                let m = (v + s1[i].floatValue + s2[i].floatValue) * (1.0 / 3.0)
                if m > I {
                    st[i].bPhase = 2
                    st[i].bInterface = z32 + 1
                    active -= 1
                }
            } else if v < V {
                st[i].bDark += 1
                st[i].bFirstDark = z32
            }
        }
        z -= 1
    }
    for i in 0..<width where st[i].bPhase == 1 {
        st[i].bPhase = 2
        st[i].bInterface = Int32(half)   // the run reached the search limit
    }

    // Sweep 2: forward from the top.
    active = width
    let half32 = Int32(half)
    z = 0
    while z < nz && active > 0 {
        let s = p + (z * plane + c0)
        let up1 = p + (Swift.max(z - 1, 0) * plane + c0)
        let up2 = p + (Swift.max(z - 2, 0) * plane + c0)
        let dn1 = p + (Swift.min(z + 1, nz - 1) * plane + c0)
        let dn2 = p + (Swift.min(z + 2, nz - 1) * plane + c0)
        // Means over the voxels that exist (edges of the volume).
        let upScale: Float = z >= 2 ? 1.0 / 3.0 : (z == 1 ? 0.5 : 1.0)
        let upW1: Float = z >= 1 ? 1 : 0, upW2: Float = z >= 2 ? 1 : 0
        let dnScale: Float = z + 2 < nz ? 1.0 / 3.0 : (z + 1 < nz ? 0.5 : 1.0)
        let dnW1: Float = z + 1 < nz ? 1 : 0, dnW2: Float = z + 2 < nz ? 1 : 0
        let z32 = Int32(z)
        let inTopHalf = z < half
        for i in 0..<width {
            let mid = st[i].mid
            if z32 > mid && st[i].wState == 2 { continue }
            let v = s[i].floatValue

            // Top run.
            if inTopHalf {
                let phase = st[i].tPhase
                if phase == 0 {
                    if v < L {
                        st[i].tPhase = 1
                        st[i].tStart = z32
                        if v < V { st[i].tDark = 1; st[i].tLastDark = z32 }
                    } else {
                        // Still in steel: every voxel so far is ≥ lithium_max, so this one
                        // closes any dark run below it as a bulk pore and f stays 0.
                        st[i].closerZ = z32
                        st[i].closerIsPore = 1
                        continue
                    }
                } else if phase == 1 {
                    if v >= L {
                        let m = (v + dnW1 * dn1[i].floatValue + dnW2 * dn2[i].floatValue) * dnScale
                        if m > I {
                            st[i].tPhase = 2
                            st[i].tEnd = z32
                            let b = st[i].bCollector > 0 ? st[i].bInterface : half32
                            st[i].mid = (z32 + b) / 2
                        }
                    } else if v < V {
                        st[i].tDark += 1
                        st[i].tLastDark = z32
                    }
                }
            } else if z == half && st[i].tPhase != 2 {
                if st[i].tPhase == 1 { st[i].tEnd = half32 }
                st[i].tPhase = 2
                // The run reached the search limit, or there is none: either way the
                // top end is the mid-plane of the volume.
                let b = st[i].bCollector > 0 ? st[i].bInterface : half32
                st[i].mid = (half32 + b) / 2
            }

            let m = st[i].mid
            if z32 < m {
                // Upward walk function f(z).
                if v < V {
                    let c = st[i].closerZ
                    if c < 0 {
                        st[i].fVoid = 0; st[i].fPore = 0
                    } else if st[i].closerIsPore == 0 {
                        st[i].fVoid = z32 - c; st[i].fPore = 0
                    } else {
                        st[i].fVoid = st[i].snapVoid; st[i].fPore = st[i].snapPore + z32 - c
                    }
                } else {
                    let mUp = (v + upW1 * up1[i].floatValue + upW2 * up2[i].floatValue) * upScale
                    if mUp >= V {
                        st[i].closerZ = z32
                        st[i].closerIsPore = mUp < L ? 0 : 1
                        st[i].snapVoid = st[i].fVoid
                        st[i].snapPore = st[i].fPore
                    }
                    if v < L { st[i].fVoid = 0; st[i].fPore = 0 }
                }
                continue
            }
            if z32 == m {
                st[i].topVoid = st[i].fVoid
                st[i].topPore = st[i].fPore
            }
            // Downward walk from mid.
            let w = st[i].wState
            if w == 0 {
                if v < V {
                    st[i].wState = 1; st[i].wStart = z32
                } else if v < L {
                    st[i].wState = 2; active -= 1
                }
            } else if w == 1 && v >= V {
                let mDown = (v + dnW1 * dn1[i].floatValue + dnW2 * dn2[i].floatValue) * dnScale
                if mDown >= V {
                    if mDown < L {
                        st[i].bVoid = z32 - st[i].wStart
                        st[i].wState = 2; active -= 1
                    } else {
                        st[i].bPore += z32 - st[i].wStart
                        st[i].wState = 0
                    }
                }
            }
        }
        z += 1
    }

    // Per-column results.
    var totals = SlabTotals()
    for i in 0..<width {
        let c = c0 + i
        var hasTop = false, hasBottom = false
        if st[i].tStart < half32 && st[i].tEnd > st[i].tStart {
            hasTop = true
            let start = Int(st[i].tStart), end = Int(st[i].tEnd)
            totals.topColumns += 1
            totals.topLithium += end - start - Int(st[i].tDark)
            totals.topStartSum += start
            totals.topEndSum += end
            let contact = st[i].tLastDark < Int32(Swift.max(start, end - 5))
            topMap[c] = contact ? 1 : 0
            if contact { totals.topContact += 1 }
        } else {
            topMap[c] = 0
        }
        if st[i].bCollector > 0 {
            hasBottom = true
            let top = Int(st[i].bInterface), collector = Int(st[i].bCollector)
            totals.bottomColumns += 1
            totals.bottomLithium += collector - top - Int(st[i].bDark)
            totals.bottomInterfaceSum += top
            totals.bottomCollectorSum += collector
            let contact = Int(st[i].bFirstDark) >= Swift.min(collector, top + 5)
            bottomMap[c] = contact ? 1 : 0
            if contact { totals.bottomContact += 1 }
        } else {
            bottomMap[c] = 0
        }
        if hasTop && hasBottom {
            totals.stackColumns += 1
            totals.stackSum += Int(st[i].bCollector) - Int(st[i].tStart)
        }
        totals.topVoid += Int(st[i].topVoid)
        totals.bottomVoid += Int(st[i].bVoid)
        totals.bulkPores += Int(st[i].topPore) + Int(st[i].bPore)
    }
    return totals
}
