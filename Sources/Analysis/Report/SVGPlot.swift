import Foundation

/// One data series of a plot. Non-finite points are skipped (and break a line).
public struct PlotSeries: Sendable {
    public enum Style: Sendable { case line, scatter, lineAndPoints }
    public enum Axis: Sendable { case left, right }
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var style: Style
    public var axis: Axis
    /// CSS colour; nil picks from the palette by position.
    public var color: String?

    public init(name: String, xs: [Double], ys: [Double], style: Style = .line, axis: Axis = .left, color: String? = nil) {
        self.name = name; self.xs = xs; self.ys = ys; self.style = style; self.axis = axis; self.color = color
    }
}

/// A straight line y = slope·x + intercept drawn over the x range (a fit overlay).
public struct PlotLine: Sendable {
    public var name: String
    public var slope: Double
    public var intercept: Double
    public init(name: String, slope: Double, intercept: Double) { self.name = name; self.slope = slope; self.intercept = intercept }
}

/// What to draw. Axis labels should carry units, e.g. "Pressure (MPa)".
public struct PlotSpec: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var rightYLabel: String?
    public var series: [PlotSeries]
    public var fitLines: [PlotLine] = []
    /// Vertical marker lines (e.g. scan mid-times) in x units.
    public var verticalMarkers: [Double] = []
    public var markerName: String = "scan"
    /// Forces the x range (e.g. to align stacked panels).
    public var xDomain: ClosedRange<Double>?
    public var widthPixels: Double = 760
    public var heightPixels: Double = 300

    public init(title: String, xLabel: String, yLabel: String, rightYLabel: String? = nil, series: [PlotSeries]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.rightYLabel = rightYLabel; self.series = series
    }
}

/// A small SVG line/scatter plotter: axes with units, nice ticks, legend, optional right
/// axis, vertical markers and fit lines. Output is standalone-valid SVG (XML).
public enum SVGPlot {
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]

    public static func render(_ spec: PlotSpec) -> String {
        let hasRight = spec.series.contains { $0.axis == .right }
        let left = 72.0, right = hasRight ? 72.0 : 20.0, top = 52.0, bottom = 46.0
        let w = spec.widthPixels, h = spec.heightPixels
        let pw = max(10, w - left - right), ph = max(10, h - top - bottom)

        func finite(_ s: PlotSeries) -> [(Double, Double)] {
            zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite }
        }
        let allX = spec.series.flatMap { finite($0).map(\.0) } + spec.verticalMarkers.filter(\.isFinite)
        let xr = spec.xDomain ?? ((allX.min() ?? 0)...(allX.max() ?? 1))
        let xt = NiceTicks(min: xr.lowerBound, max: xr.upperBound, target: 8)
        func yTicks(_ axis: PlotSeries.Axis) -> NiceTicks? {
            let ys = spec.series.filter { $0.axis == axis }.flatMap { finite($0).map(\.1) }
            var lo = ys.min(), hi = ys.max()
            if axis == .left {
                for f in spec.fitLines {
                    for x in [xt.lower, xt.upper] {
                        let y = f.slope * x + f.intercept
                        // Fit lines may extend the range only moderately beyond the data.
                        if y.isFinite, let l = lo, let u = hi, y > l - (u - l), y < u + (u - l) { lo = min(l, y); hi = max(u, y) }
                    }
                }
            }
            guard let lo, let hi else { return axis == .left ? NiceTicks(min: 0, max: 1) : nil }
            return NiceTicks(min: lo, max: hi, target: 5)
        }
        let yl = yTicks(.left)!, yr = yTicks(.right)
        func px(_ x: Double) -> Double { left + (x - xt.lower) / (xt.upper - xt.lower) * pw }
        func py(_ y: Double, _ t: NiceTicks) -> Double { top + ph - (y - t.lower) / (t.upper - t.lower) * ph }
        let c = Markup.coord

        var o = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"\(c(w))\" height=\"\(c(h))\" viewBox=\"0 0 \(c(w)) \(c(h))\" role=\"img\" aria-label=\"\(Markup.escape(spec.title))\">\n"
        o += "<title>\(Markup.escape(spec.title))</title>\n"
        o += "<rect x=\"0\" y=\"0\" width=\"\(c(w))\" height=\"\(c(h))\" fill=\"#fff\"/>\n"
        o += "<text x=\"\(c(left))\" y=\"18\" class=\"ptitle\" font-size=\"14\" font-weight=\"bold\">\(Markup.escape(spec.title))</text>\n"
        o += "<defs><clipPath id=\"clip\(clipID(spec))\"><rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(pw))\" height=\"\(c(ph))\"/></clipPath></defs>\n"

        // Grid and ticks.
        o += "<g class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\">"
        for t in xt.values { o += "<line x1=\"\(c(px(t)))\" y1=\"\(c(top))\" x2=\"\(c(px(t)))\" y2=\"\(c(top + ph))\"/>" }
        for t in yl.values { o += "<line x1=\"\(c(left))\" y1=\"\(c(py(t, yl)))\" x2=\"\(c(left + pw))\" y2=\"\(c(py(t, yl)))\"/>" }
        o += "</g>\n"
        o += "<g class=\"ticks\" font-size=\"11\" fill=\"#222\">"
        for t in xt.values { o += "<text x=\"\(c(px(t)))\" y=\"\(c(top + ph + 15))\" text-anchor=\"middle\">\(Markup.escape(xt.label(t)))</text>" }
        for t in yl.values { o += "<text x=\"\(c(left - 6))\" y=\"\(c(py(t, yl) + 4))\" text-anchor=\"end\">\(Markup.escape(yl.label(t)))</text>" }
        if let yr { for t in yr.values { o += "<text x=\"\(c(left + pw + 6))\" y=\"\(c(py(t, yr) + 4))\" text-anchor=\"start\">\(Markup.escape(yr.label(t)))</text>" } }
        o += "</g>\n"
        o += "<rect class=\"frame\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(pw))\" height=\"\(c(ph))\" fill=\"none\" stroke=\"#444\"/>\n"
        // Axis labels.
        o += "<text x=\"\(c(left + pw / 2))\" y=\"\(c(h - 8))\" text-anchor=\"middle\" font-size=\"12\">\(Markup.escape(spec.xLabel))</text>\n"
        o += "<text transform=\"translate(16 \(c(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(Markup.escape(spec.yLabel))</text>\n"
        if let label = spec.rightYLabel, hasRight {
            o += "<text transform=\"translate(\(c(w - 12)) \(c(top + ph / 2))) rotate(90)\" text-anchor=\"middle\" font-size=\"12\">\(Markup.escape(label))</text>\n"
        }

        o += "<g clip-path=\"url(#clip\(clipID(spec)))\">\n"
        // Markers.
        if !spec.verticalMarkers.isEmpty {
            o += "<g class=\"markers\" stroke=\"#999\" stroke-dasharray=\"3 3\" stroke-width=\"1\">"
            for m in spec.verticalMarkers where m.isFinite && m >= xt.lower && m <= xt.upper {
                o += "<line x1=\"\(c(px(m)))\" y1=\"\(c(top))\" x2=\"\(c(px(m)))\" y2=\"\(c(top + ph))\"/>"
            }
            o += "</g>\n"
        }
        // Series.
        var legend: [(String, String, Bool, Bool)] = [] // name, colour, line, dashed
        for (k, s) in spec.series.enumerated() {
            let color = s.color ?? palette[k % palette.count]
            guard let t = s.axis == .left ? yl : yr else { continue }
            let pts = finiteRuns(s).map { run in decimate(run, buckets: Int(pw)).map { (px($0.0), py($0.1, t)) } }
            if s.style != .scatter {
                var d = ""
                for run in pts where !run.isEmpty {
                    d += "M" + run.map { "\(c($0.0)) \(c($0.1))" }.joined(separator: "L")
                }
                if !d.isEmpty { o += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n" }
            }
            if s.style != .line {
                o += "<g class=\"points\" fill=\"\(color)\">"
                for run in pts { for p in run { o += "<circle cx=\"\(c(p.0))\" cy=\"\(c(p.1))\" r=\"3\"/>" } }
                o += "</g>\n"
            }
            legend.append((s.name + (s.axis == .right && hasRight ? " (right axis)" : ""), color, s.style != .scatter, false))
        }
        for (k, f) in spec.fitLines.enumerated() {
            let color = k == 0 ? "#000" : palette[(k + 3) % palette.count]
            let x0 = xt.lower, x1 = xt.upper
            let y0 = f.slope * x0 + f.intercept, y1 = f.slope * x1 + f.intercept
            guard y0.isFinite, y1.isFinite else { continue }
            o += "<path class=\"fit\" d=\"M\(c(px(x0))) \(c(py(y0, yl)))L\(c(px(x1))) \(c(py(y1, yl)))\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" fill=\"none\"/>\n"
            legend.append((f.name, color, true, true))
        }
        o += "</g>\n"
        if !spec.verticalMarkers.isEmpty { legend.append((spec.markerName, "#999", true, true)) }
        if spec.series.allSatisfy({ finite($0).isEmpty }) {
            o += "<text x=\"\(c(left + pw / 2))\" y=\"\(c(top + ph / 2))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#a00\">no data</text>\n"
        }
        // Legend: one row under the title, outside the data area.
        var lx = left
        o += "<g class=\"legend\" font-size=\"11\">"
        for (name, color, line, dashed) in legend {
            if line {
                o += "<line x1=\"\(c(lx))\" y1=\"36\" x2=\"\(c(lx + 18))\" y2=\"36\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"4 2\"" : "")/>"
            } else {
                o += "<circle cx=\"\(c(lx + 9))\" cy=\"36\" r=\"3\" fill=\"\(color)\"/>"
            }
            o += "<text x=\"\(c(lx + 22))\" y=\"40\">\(Markup.escape(name))</text>"
            lx += 30 + Double(name.count) * 6.2
        }
        o += "</g>\n</svg>"
        return o
    }

    /// Runs of consecutive finite points (a non-finite point breaks a line).
    static func finiteRuns(_ s: PlotSeries) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = [], cur: [(Double, Double)] = []
        for (x, y) in zip(s.xs, s.ys) {
            if x.isFinite && y.isFinite { cur.append((x, y)) } else if !cur.isEmpty { runs.append(cur); cur = [] }
        }
        if !cur.isEmpty { runs.append(cur) }
        return runs
    }

    /// Keeps first, min, max and last of each of `buckets` x-buckets so a day of 1 Hz data
    /// draws as the same picture with a few thousand vertices.
    static func decimate(_ pts: [(Double, Double)], buckets: Int) -> [(Double, Double)] {
        guard pts.count > 4 * max(1, buckets), let x0 = pts.first?.0, let x1 = pts.last?.0, x1 > x0 else { return pts }
        let width = (x1 - x0) / Double(buckets)
        guard width.isFinite, width > 0 else { return pts }
        var out: [(Double, Double)] = []
        var i = 0
        while i < pts.count {
            let b = Int((pts[i].0 - x0) / width)
            var j = i, lo = i, hi = i
            while j < pts.count && Int((pts[j].0 - x0) / width) == b {
                if pts[j].1 < pts[lo].1 { lo = j }
                if pts[j].1 > pts[hi].1 { hi = j }
                j += 1
            }
            for k in Set([i, lo, hi, j - 1]).sorted() { out.append(pts[k]) }
            i = max(j, i + 1)
        }
        return out
    }

    /// Distinct clip-path ids so several plots in one document do not collide.
    private static func clipID(_ spec: PlotSpec) -> String {
        var hash: UInt64 = 1469598103934665603
        for b in (spec.title + spec.yLabel).utf8 { hash = (hash ^ UInt64(b)) &* 1099511628211 }
        return String(hash % 1_000_000_007, radix: 36)
    }
}
