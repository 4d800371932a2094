import Testing
@testable import TrellisCatalog

/// Which entry names are DAG files, and the `.yaml`-before-`.yml` order (DAG-FORMAT §1.1).
@Suite struct DAGFileNamesTests {
    @Test(arguments: [
        ("etl.yaml", true), ("etl.yml", true), ("a.b.yaml", true), ("x.yml.yaml", true),
        (".hidden.yaml", false), (".yaml", false), (".yml", false), ("etl.yaml~", false), (".etl.yaml.swp", false),
        ("etl.yaml.swp", false), ("4913", false), ("docs", false), ("etl.json", false), ("etl.YAML", false),
        ("../etl.yaml", false), ("a/b.yaml", false),
    ])
    func dagFileNames(name: String, isDAG: Bool) {
        #expect(DAGFileNames.isDAGFileName(name) == isDAG)
    }

    @Test func candidatesPutYamlFirst() {
        let groups = DAGFileNames.candidates(["b.yml", "a.yml", "a.yaml", "notes.md", "c.yaml"])
        #expect(groups == ["a": ["a.yaml", "a.yml"], "b": ["b.yml"], "c": ["c.yaml"]])
    }
}
