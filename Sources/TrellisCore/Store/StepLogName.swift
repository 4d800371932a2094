/// File-safe names for step logs (§17.2): keep `[A-Za-z0-9_.-]`, replace other characters with
/// `_`, and append a short hash when anything changed so different names never collide.
public enum StepLogName {
    public static func safe(_ name: String) -> String {
        var changed = false
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.-".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out.append("_")
                changed = true
            }
        }
        if out.isEmpty || out == "." || out == ".." { changed = true }
        guard changed else { return out }
        return String(out.prefix(80)) + "-" + fnv1a(name)
    }

    /// 8 hex digits of FNV-1a over the UTF-8 bytes: short and stable across runs and machines.
    public static func fnv1a(_ text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
