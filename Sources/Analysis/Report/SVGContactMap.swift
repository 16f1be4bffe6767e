import Foundation

/// Draws a contact map as SVG rectangles, run-length encoded per row (no PNG/zlib needed).
/// Large maps are block-averaged to at most `maxCells` per side, shaded by the fraction of
/// contact pixels in each block.
public enum SVGContactMap {
    public static func render(_ map: ContactMap, title: String, maxSidePixels: Double = 220, maxCells: Int = 110) -> String {
        let c = Markup.coord
        guard map.width > 0, map.height > 0, map.pixels.count == map.width * map.height else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cmap\" width=\"\(c(maxSidePixels))\" height=\"40\" viewBox=\"0 0 \(c(maxSidePixels)) 40\"><text x=\"4\" y=\"24\" font-size=\"12\" fill=\"#a00\">\(Markup.escape(title)): invalid map</text></svg>"
        }
        let block = max(1, Int((Double(max(map.width, map.height)) / Double(max(1, maxCells))).rounded(.up)))
        let cw = (map.width + block - 1) / block, ch = (map.height + block - 1) / block
        let cell = min(maxSidePixels / Double(cw), maxSidePixels / Double(ch))
        let w = cell * Double(cw), h = cell * Double(ch)
        let caption = 16.0
        var o = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cmap\" width=\"\(c(w + 2))\" height=\"\(c(h + caption + 2))\" viewBox=\"0 0 \(c(w + 2)) \(c(h + caption + 2))\" role=\"img\" aria-label=\"\(Markup.escape(title))\">"
        o += "<title>\(Markup.escape(title))</title>"
        o += "<text x=\"1\" y=\"12\" font-size=\"11\">\(Markup.escape(title))</text>"
        o += "<rect x=\"1\" y=\"\(c(caption + 1))\" width=\"\(c(w))\" height=\"\(c(h))\" fill=\"#f4f4f4\" stroke=\"#444\"/>"
        o += "<g class=\"contact\" shape-rendering=\"crispEdges\">"
        for by in 0..<ch {
            // Quantise each block's contact fraction to 8 levels; merge equal neighbours.
            var levels = [Int](repeating: 0, count: cw)
            for bx in 0..<cw {
                var on = 0, n = 0
                for y in (by * block)..<min(map.height, (by + 1) * block) {
                    for x in (bx * block)..<min(map.width, (bx + 1) * block) {
                        n += 1; if map.pixels[y * map.width + x] != 0 { on += 1 }
                    }
                }
                levels[bx] = n == 0 ? 0 : Int((Double(on) / Double(n) * 8).rounded())
            }
            var x = 0
            while x < cw {
                var e = x
                while e + 1 < cw && levels[e + 1] == levels[x] { e += 1 }
                if levels[x] > 0 {
                    let grey = 230 - levels[x] * 25 // 8 → 30 (near black)
                    o += "<rect x=\"\(c(1 + Double(x) * cell))\" y=\"\(c(caption + 1 + Double(by) * cell))\" width=\"\(c(Double(e - x + 1) * cell))\" height=\"\(c(cell))\" fill=\"rgb(\(grey),\(grey),\(grey))\"/>"
                }
                x = e + 1
            }
        }
        o += "</g></svg>"
        return o
    }
}
