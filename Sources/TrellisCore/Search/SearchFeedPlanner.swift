/// One item of a search feed page: the item and its first match, with whether more follow.
public struct SearchFeedItem<Item: Sendable>: Sendable {
    public var item: Item
    /// One match (the first) and `hasMore` = the file has another matching line.
    public var firstMatch: SearchMatchPage
}

/// A page of a search feed (API §5.2, §5.4).
public struct SearchFeedPage<Item: Sendable>: Sendable {
    public var items: [SearchFeedItem<Item>]
    /// Another matching item follows the last one returned.
    public var hasMore: Bool
}

/// Pages through items in key order, keeping those with a match: the items after `afterKey`,
/// at most `limit`, and whether another matching item follows. Positions are keys, not
/// offsets, so items added before the position never shift later pages.
public enum SearchFeedPlanner {
    /// - Parameters:
    ///   - items: the candidates (already label-filtered), sorted by `key`.
    ///   - afterKey: the key of the last item of the previous page; nil = first page.
    public static func page<Item: Sendable>(_ items: [Item], query: SearchQuery, afterKey: String?, limit: Int,
                                            key: (Item) -> String, text: (Item) -> SearchableText) -> SearchFeedPage<Item> {
        var results: [SearchFeedItem<Item>] = []
        for item in items {
            if let afterKey, key(item) <= afterKey { continue }
            let first = text(item).matches(query, limit: 1)
            guard !first.matches.isEmpty else { continue }
            if results.count == limit { return SearchFeedPage(items: results, hasMore: true) }
            results.append(SearchFeedItem(item: item, firstMatch: first))
        }
        return SearchFeedPage(items: results, hasMore: false)
    }
}
