package dev.shopfloor.jdbccheck;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A BI client in miniature: connects with the official ClickHouse JDBC driver, lists the tables of
 * the `bi` database and the columns of `bi.events` through DatabaseMetaData (as DBeaver and
 * Metabase do), runs named queries,
 * tries writes and DDL, and prints everything as one JSON object on stdout.
 *
 * <p>Usage: {@code java -jar jdbc-check.jar <jdbc-url> <user> <password> <queries-file>} where the
 * queries file holds statements separated by lines {@code -- name: <name>}. Names starting with
 * {@code write:} are expected to be refused; their error is reported instead of rows.
 */
public final class JdbcCheck {
  private JdbcCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: jdbc-check <jdbc-url> <user> <password> <queries-file>");
      System.exit(64);
    }
    Map<String, String> queries = readQueries(Path.of(args[3]));
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    Map<String, Object> out = new LinkedHashMap<>();
    try (Connection conn = DriverManager.getConnection(args[0], props)) {
      DatabaseMetaData meta = conn.getMetaData();
      out.put("driver", meta.getDriverName() + " " + meta.getDriverVersion());
      out.put("server", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
      out.put("tables", listTables(meta));
      out.put("eventsColumns", listColumns(meta, "events"));
      Map<String, Object> results = new LinkedHashMap<>();
      for (Map.Entry<String, String> query : queries.entrySet()) {
        results.put(query.getKey(), run(conn, query.getValue()));
      }
      out.put("results", results);
    } catch (SQLException e) {
      out.put("error", error(e));
    }
    System.out.println(Json.write(out));
  }

  private static List<String> listTables(DatabaseMetaData meta) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, "bi", "%", null)) {
      while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
    }
    return tables;
  }

  private static List<String> listColumns(DatabaseMetaData meta, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = meta.getColumns(null, "bi", table, "%")) {
      while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
    }
    return columns;
  }

  private static Map<String, Object> run(Connection conn, String sql) {
    Map<String, Object> result = new LinkedHashMap<>();
    try (Statement st = conn.createStatement()) {
      if (!st.execute(sql)) {
        result.put("updateCount", st.getUpdateCount());
        return result;
      }
      try (ResultSet rs = st.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) row.add(rs.getObject(i));
          rows.add(row);
        }
        result.put("columns", columns);
        result.put("rows", rows);
      }
    } catch (SQLException e) {
      result.put("error", error(e));
    }
    return result;
  }

  private static Map<String, Object> error(SQLException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("sqlState", e.getSQLState());
    error.put("code", e.getErrorCode());
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      message.append(" | ").append(cause.getMessage());
    }
    error.put("message", message.toString());
    return error;
  }

  private static Map<String, String> readQueries(Path file) throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("-- name: ")) {
        if (name != null) queries.put(name, sql.toString().trim());
        name = line.substring("-- name: ".length()).trim();
        sql.setLength(0);
      } else if (name != null) {
        sql.append(line).append('\n');
      }
    }
    if (name != null) queries.put(name, sql.toString().trim());
    return queries;
  }
}
