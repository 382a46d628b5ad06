package dev.couponhub.user.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A user account. While open, {@code activeEmail} equals {@code email}; closing the account clears it so that the
 * address can sign up again, while {@code email} keeps the address the account had.
 */
@Entity
@Table(name = "users")
public class Account {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 254)
    private String email;

    @Column(name = "active_email", length = 254)
    private String activeEmail;

    @Column(nullable = false, length = 50)
    private String name;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false, length = 16)
    private Role role;

    @Column(name = "password_hash", nullable = false, length = 100)
    private String passwordHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    protected Account() {
        // for JPA
    }

    private Account(String email, String name, Role role, String passwordHash, Instant now) {
        this.email = email;
        this.activeEmail = email;
        this.name = name;
        this.role = role;
        this.passwordHash = passwordHash;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new open account; {@code email} must already be normalised (trimmed, lower case). */
    public static Account open(String email, String name, Role role, String passwordHash, Instant now) {
        return new Account(email, name, role, passwordHash, now);
    }

    public void rename(String newName, Instant now) {
        requireOpen();
        this.name = newName;
        this.updatedAt = now;
    }

    public void changePasswordHash(String newPasswordHash, Instant now) {
        requireOpen();
        this.passwordHash = newPasswordHash;
        this.updatedAt = now;
    }

    /** Closes the account: it can no longer sign in and its email is free for a new sign-up. */
    public void close(Instant now) {
        requireOpen();
        this.closedAt = now;
        this.activeEmail = null;
        this.updatedAt = now;
    }

    public boolean isOpen() {
        return closedAt == null;
    }

    private void requireOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("account " + id + " is closed");
        }
    }

    public Long id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant closedAt() {
        return closedAt;
    }

    @Override
    public String toString() {
        return "Account[id=" + id + ", role=" + role + ", open=" + isOpen() + "]";
    }
}
