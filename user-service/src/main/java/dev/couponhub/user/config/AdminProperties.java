package dev.couponhub.user.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ADMIN account created at start-up when no open account has its email.
 *
 * @param email    {@code COUPONHUB_ADMIN_EMAIL}; required
 * @param password {@code COUPONHUB_ADMIN_PASSWORD}; required, 8..72 characters
 * @param name     display name of the account
 */
@ConfigurationProperties("couponhub.admin")
public record AdminProperties(String email, String password, @DefaultValue("Administrator") String name) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "AdminProperties[email=" + email + ", password=" + (password == null || password.isEmpty() ? "(not set)" : "(set)")
                + ", name=" + name + "]";
    }
}
