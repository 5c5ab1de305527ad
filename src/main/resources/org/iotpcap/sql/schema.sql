-- iotpcap SQL macros, created after the tables (which derive from their declarations in
-- org.iotpcap.semantic.tables; every column is documented in docs/tables.md).

-- local_time(time_ns, 'Europe/Rome'): the wall-clock time of a *_ns column in a time zone (microseconds).
CREATE MACRO local_time(ns, zone) AS timezone(zone, make_timestamptz(ns // 1000));

-- topic_levels(topic): the number of levels of an MQTT topic or filter (split on '/'; '' is one empty level).
CREATE MACRO topic_levels(topic) AS len(string_split(topic, '/'));

-- _topic_levels_match(f, t, dollar): the level walk of topic_matches on the filter's levels f and the topic's
-- levels t (dollar: the topic starts with '$'); not meant to be called on its own. The levels compared pairwise
-- are all of f, or all but a final '#'. The lambda sees only the zipped pair, never f or t: DuckDB cannot bind a
-- lambda that names a column of an outer query, which f and t are when topic_matches is used in a correlated
-- subquery (EXISTS (SELECT ... WHERE topic_matches(s.filter, outer.topic))).
CREATE MACRO _topic_levels_match(f, t, dollar) AS
  NOT (dollar AND f[1] IN ('+', '#'))
  AND NOT list_contains(f[1:len(f) - 1], '#')
  AND CASE WHEN f[len(f)] = '#' THEN len(t) >= len(f) - 1 ELSE len(t) = len(f) END
  AND coalesce(list_bool_and(list_transform(list_zip(f[1:len(f) - CASE WHEN f[len(f)] = '#' THEN 1 ELSE 0 END], t, true),
                                            lambda x: x[1] = '+' OR x[1] = x[2])), true);

-- topic_matches(filter, topic): whether an MQTT topic filter matches a topic name, level by level (MQTT 3.1.1
-- section 4.7, MQTT 5 section 4.7). The rule is org.iotpcap.semantic.TopicFilter.matches, which decides every
-- delivery in the tables; this macro is its copy for queries about topics the capture never saw, and
-- TopicFilterMacroPropertiesTest holds the two equal on random filters and topics. '+' matches exactly one
-- level, which may be empty (4.7.1.3); '#' as the last level matches its parent level and any number of levels
-- below (4.7.1.2), anywhere else it makes the filter invalid and it matches nothing; '+' and '#' inside a level
-- ('a+', '#b') are ordinary text (iotpcap's definition: wildcards only as whole levels); a topic starting with
-- '$' is not matched by a filter whose first level is a wildcard (4.7.2); an empty filter or topic, which 4.7.3
-- forbids, matches nothing, and so does NULL (false, not NULL, as in Java). A filter with neither '+' nor '#'
-- matches exactly the topic equal to it (every level equal, the same number of levels), so only filters with
-- a wildcard character take the level walk: most filters have none, and the walk splits both strings.
CREATE MACRO topic_matches(filter, topic) AS coalesce(
  filter <> '' AND topic <> ''
  AND CASE WHEN contains(filter, '+') OR contains(filter, '#')
           THEN _topic_levels_match(string_split(filter, '/'), string_split(topic, '/'), starts_with(topic, '$'))
           ELSE filter = topic END, false);
