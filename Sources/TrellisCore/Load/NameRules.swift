/// The naming rules of DAG-FORMAT §1.2.
public enum NameRules {
    /// Step ids that would clash with substitution namespaces.
    public static let reservedStepIDs: Set<String> = ["env", "params", "args", "stdout", "stderr", "output", "outputs"]

    /// `^[a-zA-Z0-9_.-]+$`, 1–40 characters, not `.` or `..`.
    public static func isValidDAGName(_ name: String) -> Bool {
        guard (1...40).contains(name.count), name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy { isASCIIAlnum($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// `^[-a-zA-Z0-9_]+$`, 1–64 characters.
    public static func isValidRunID(_ id: String) -> Bool {
        guard (1...64).contains(id.count) else { return false }
        return id.unicodeScalars.allSatisfy { isASCIIAlnum($0) || $0 == "_" || $0 == "-" }
    }

    /// `^[a-zA-Z][a-zA-Z0-9_]*$`, at most 40 characters, not reserved.
    public static func stepIDProblem(_ id: String) -> String? {
        guard let first = id.unicodeScalars.first, id.count <= 40,
              isASCIILetter(first), id.unicodeScalars.allSatisfy({ isASCIIAlnum($0) || $0 == "_" }) else {
            return "step id \"\(id)\" is invalid: it must start with a letter, use only letters, digits and \"_\", and have at most 40 characters"
        }
        if reservedStepIDs.contains(id) {
            return "step id \"\(id)\" is reserved; choose another (reserved: args, env, output, outputs, params, stderr, stdout)"
        }
        return nil
    }

    /// A shell-style variable name: `^[A-Za-z_][A-Za-z0-9_]*$`.
    public static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isASCIILetter(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { isASCIIAlnum($0) || $0 == "_" }
    }

    /// The message for an invalid DAG name.
    static func dagNameProblem(_ name: String, what: String = "DAG name") -> String {
        "\(what) \"\(name)\" is invalid: use 1-40 characters of letters, digits, \"_\", \".\" and \"-\""
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isASCIIAlnum(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || ("0"..."9").contains(scalar)
    }
}
