package io.ruvector.cdc.engine;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect to PostgreSQL, parsed once from a URL.
 *
 * <p>{@link #parse} accepts the libpq form {@code postgresql://user:pass@host:port/db} (also
 * {@code postgres://}) and the JDBC form {@code jdbc:postgresql://host:port/db?user=u&password=p}.
 * User and password may be percent-encoded in the user-info part. Only one host is supported (a
 * replication slot lives on one server). Every error names what is wrong, never echoing the
 * password.
 *
 * @param password may be {@code null} (trust / peer authentication, or a {@code .pgpass})
 */
public record PgConnectionSettings(String host, int port, String database, String user, String password) {

    public static final int DEFAULT_PORT = 5432;

    public PgConnectionSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL host is missing");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("PostgreSQL port " + port + " is out of range 1-65535");
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL database name is missing");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL user is missing");
        }
    }

    /** {@code jdbc:postgresql://host:port/database}, without credentials (see {@link #jdbcProperties()}). */
    public String jdbcUrl() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host; // IPv6 literal
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** {@code user} and (when given) {@code password}, for {@code DriverManager.getConnection}. */
    public Properties jdbcProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** A copy with other credentials (a {@code null} argument keeps the current value). */
    public PgConnectionSettings withCredentials(String newUser, String newPassword) {
        return new PgConnectionSettings(host, port, database,
                newUser != null ? newUser : user, newPassword != null ? newPassword : password);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "PgConnectionSettings[" + user + "@" + host + ":" + port + "/" + database
                + (password == null ? "" : ", password=***") + "]";
    }

    /**
     * Parses {@code url}; {@code userOverride} / {@code passwordOverride} (nullable) win over the
     * credentials in the URL.
     *
     * @throws IllegalArgumentException naming what is wrong with the URL
     */
    public static PgConnectionSettings parse(String url, String userOverride, String passwordOverride) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL URL is empty; expected postgresql://user:password@host:port/database");
        }
        String rest = stripScheme(url.strip());

        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? decode(rest.substring(slash + 1), "database name") : "";

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "user");
            password = colon >= 0 ? decode(userInfo.substring(colon + 1), "password") : null;
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq >= 0 ? pair.substring(0, eq) : pair;
                String value = eq >= 0 ? decode(pair.substring(eq + 1), key) : "";
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> throw new IllegalArgumentException("unsupported parameter '" + key
                            + "' in PostgreSQL URL (supported: user, password)");
                }
            }
        }
        if (authority.indexOf(',') >= 0) {
            throw new IllegalArgumentException("PostgreSQL URL names several hosts (" + authority
                    + "); RuVector Streams captures from exactly one server");
        }
        HostPort hp = hostPort(authority);
        if (database.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL URL has no database name; expected .../" + hp.host() + ":" + hp.port() + "/<database>");
        }
        if (database.indexOf('/') >= 0) {
            throw new IllegalArgumentException("PostgreSQL database name '" + database + "' contains '/'");
        }
        if (userOverride != null && !userOverride.isBlank()) {
            user = userOverride;
        }
        if (passwordOverride != null) {
            password = passwordOverride;
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("no PostgreSQL user: give it in the URL (postgresql://user:password@host/db) or with --pg-user");
        }
        return new PgConnectionSettings(hp.host(), hp.port(), database, user, password);
    }

    private static String stripScheme(String url) {
        for (String scheme : new String[] {"jdbc:postgresql://", "postgresql://", "postgres://"}) {
            if (url.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return url.substring(scheme.length());
            }
        }
        int sep = url.indexOf("://");
        throw new IllegalArgumentException("PostgreSQL URL must start with postgresql://, postgres:// or jdbc:postgresql://"
                + (sep >= 0 ? " (got '" + url.substring(0, sep + 3) + "')" : " (it has no scheme)"));
    }

    private record HostPort(String host, int port) { }

    private static HostPort hostPort(String authority) {
        String host = authority;
        String portText = null;
        if (authority.startsWith("[")) { // [IPv6]:port
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("PostgreSQL URL has an unclosed IPv6 address '" + authority + "'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("unexpected '" + after + "' after IPv6 address in PostgreSQL URL");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL URL has no host; expected postgresql://user:password@host:port/database");
        }
        if (portText == null || portText.isEmpty()) {
            return new HostPort(host, DEFAULT_PORT);
        }
        try {
            int port = Integer.parseInt(portText);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("PostgreSQL port " + port + " is out of range 1-65535");
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PostgreSQL port '" + portText + "' is not a number");
        }
    }

    /** Percent-decoding without {@link URLDecoder}'s form rule that turns '+' into a space. */
    private static String decode(String text, String what) {
        Objects.requireNonNull(text, "text");
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad percent-encoding in the " + what + " of the PostgreSQL URL");
        }
    }
}
