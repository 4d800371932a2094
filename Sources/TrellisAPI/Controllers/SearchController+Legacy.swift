import Foundation
import Hummingbird
import TrellisCore

/// `GET /dags/search` (API §5.1): a case-insensitive regular expression over every line of every
/// DAG file; all matches, files ordered by file name.
extension SearchController {
    func legacySearch(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        guard let pattern = request.query["q"], !pattern.allSatisfy(\.isWhitespace) else {
            throw APIError.badRequest("query parameter 'q' is required")
        }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        } catch {
            throw APIError.badRequest("invalid regular expression: \(pattern)")
        }
        var results: [JSONValue] = []
        for item in index.items(of: environment.catalog) {
            let lines = item.text.lines
            var matches: [SearchMatch] = []
            for (index, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..<line.endIndex, in: line)
                if regex.firstMatch(in: line, options: [], range: range) != nil {
                    matches.append(SearchMatch.snippet(lines, lineNumber: index + 1))
                }
            }
            guard !matches.isEmpty else { continue }
            let entry = item.entry
            let dag = entry.load.dag.map { DAGDTO.listItem($0, zone: settings.timeZone) } ?? DAGDTO.minimalListItem(name: entry.fileName)
            results.append(SearchDTO.resultItem(fileName: entry.fileName, dag: dag, matches: matches))
        }
        return JSONResponse.json(.object(JSONObject([("results", .array(results)), ("errors", .array([]))])))
    }
}
