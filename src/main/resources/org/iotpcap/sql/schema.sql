-- iotpcap SQL macros, created after the tables (which derive from their declarations in
-- org.iotpcap.semantic.tables; every column is documented in docs/tables.md).

-- local_time(time_ns, 'Europe/Rome'): the wall-clock time of a *_ns column in a time zone (microseconds).
CREATE MACRO local_time(ns, zone) AS timezone(zone, make_timestamptz(ns // 1000));

-- topic_levels(topic): the number of levels of an MQTT topic or filter (split on '/'; '' is one empty level).
CREATE MACRO topic_levels(topic) AS len(string_split(topic, '/'));

-- topic_matches(filter, topic): whether an MQTT topic filter matches a topic name, level by level (MQTT 3.1.1
-- section 4.7, MQTT 5 section 4.7): '+' matches exactly one level, a final '#' the parent level and any number of
-- levels below it; a topic starting with '$' is not matched by a filter starting with a wildcard (4.7.2).
-- '+' or '#' inside a level is an ordinary character here (such a filter is invalid on the wire).
CREATE MACRO topic_matches(filter, topic) AS (
  WITH s AS (SELECT string_split(filter, '/') AS f, string_split(topic, '/') AS t)
  SELECT NOT (starts_with(topic, '$') AND f[1] IN ('+', '#'))
     AND CASE WHEN f[len(f)] = '#'
              THEN len(t) >= len(f) - 1
                   AND coalesce(list_bool_and(list_transform(range(1, len(f)), lambda i: f[i] = '+' OR f[i] = t[i])), true)
              ELSE len(t) = len(f)
                   AND coalesce(list_bool_and(list_transform(range(1, len(f) + 1), lambda i: f[i] = '+' OR f[i] = t[i])), true)
         END
  FROM s);
