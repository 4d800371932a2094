import Testing
@testable import TrellisCore

@Suite("Params string tokenizer")
struct ParamStringParserTests {
    private static func named(_ name: String, _ value: String) -> ParamToken {
        ParamToken(name: name, value: value)
    }

    private static func positional(_ value: String) -> ParamToken {
        ParamToken(name: nil, value: value)
    }

    static let cases: [(String, [ParamToken])] = [
        ("", []),
        ("   \t\n ", []),
        ("A=1", [named("A", "1")]),
        ("A=1 B=2", [named("A", "1"), named("B", "2")]),
        ("pos", [positional("pos")]),
        ("A=\"two words\" pos B=`x y`", [named("A", "two words"), positional("pos"), named("B", "`x y`")]),
        ("a=b=c", [named("a", "b=c")]),
        ("A=", [named("A", "")]),
        ("A=\"\"", [named("A", "")]),
        ("\"\"", [positional("")]),
        ("_x9=1", [named("_x9", "1")]),
        ("9x=1", [positional("9x=1")]),
        ("=x", [positional("=x")]),
        ("my-param=1", [positional("my-param=1")]),
        ("\"A=1\"", [positional("A=1")]),
        (#"A="say \"hi\"""#, [named("A", "say \"hi\"")]),
        (#"A="back\\slash""#, [named("A", "back\\slash")]),
        (#"A="l1\nl2\tx""#, [named("A", "l1\nl2\tx")]),
        (#"A="C:\path""#, [named("A", "C:\\path")]),
        (#"A=C:\path"#, [named("A", "C:\\path")]),
        ("A=pre\"x y\"post", [named("A", "prex ypost")]),
        ("D=`date +%F` E=x`echo a b`y", [named("D", "`date +%F`"), named("E", "x`echo a b`y")]),
        ("B=`say \"q\"`", [named("B", "`say \"q\"`")]),
        ("A=\"tick ` inside\"", [named("A", "tick ` inside")]),
        ("名前=値 X=日本語 😀", [positional("名前=値"), named("X", "日本語"), positional("😀")]),
        ("  A=1\t\tB=2\n\"c d\"  ", [named("A", "1"), named("B", "2"), positional("c d")]),
        ("A=x A=y", [named("A", "x"), named("A", "y")]),
        ("{not json", [positional("{not"), positional("json")]),
    ]

    @Test("tokenizes", arguments: cases)
    func tokenizes(text: String, expected: [ParamToken]) throws {
        #expect(try ParamStringParser.parse(text) == expected)
    }

    static let errors: [(String, String)] = [
        ("A=\"open", "params: unterminated double quote starting at column 3"),
        ("x \"abc", "params: unterminated double quote starting at column 3"),
        (#"A="ends with \""#, "params: unterminated double quote starting at column 3"),
        ("B=`date", "params: unterminated backtick starting at column 3"),
        ("A=1 B=ok`", "params: unterminated backtick starting at column 9"),
        ("é \"", "params: unterminated double quote starting at column 3"),
    ]

    @Test("reports unterminated quotes with their column", arguments: errors)
    func reportsErrors(text: String, message: String) {
        #expect(throws: ParamError(param: nil, message: message)) {
            try ParamStringParser.parse(text)
        }
    }

    @Test func plainDefinitionsFromAString() throws {
        let definitions = try ParamDefinition.plain(parsing: "A=1 pos")
        #expect(definitions == [
            ParamDefinition(name: "A", defaultValue: .string("1")),
            ParamDefinition(name: nil, defaultValue: .string("pos")),
        ])
        #expect(definitions.allSatisfy { !$0.isTyped && $0.type == nil })
    }

    @Test func tokenDescription() {
        #expect(ParamToken(name: "A", value: "x y").description == "A=x y")
        #expect(ParamToken(name: nil, value: "v").description == "v")
    }
}
