/**
 * Updraft's storage SPI over JDBC: {@link dev.updraft.jdbc.JdbcStore}, on embedded H2 (the
 * zero-setup default) or PostgreSQL (production, several server nodes over one database).
 */
@NullMarked
package dev.updraft.jdbc;

import org.jspecify.annotations.NullMarked;
