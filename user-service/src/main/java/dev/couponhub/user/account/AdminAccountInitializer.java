package dev.couponhub.user.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.couponhub.user.config.AdminProperties;
import dev.couponhub.user.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the ADMIN account from {@code couponhub.admin.*} at start-up, or leaves an existing open account with that
 * email as it is. The settings are checked when the bean is created, so a missing password stops the start before
 * the service accepts requests.
 */
@Component
class AdminAccountInitializer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminAccountInitializer.class);

    private final AccountService accounts;
    private final String email;
    private final String password;
    private final String name;

    AdminAccountInitializer(AccountService accounts, AdminProperties properties) {
        this.accounts = accounts;
        if (properties.email() == null || properties.email().isBlank() || !properties.email().contains("@")) {
            throw new InvalidConfigurationException("couponhub.admin.email is not set (or not an email address).",
                    "Set COUPONHUB_ADMIN_EMAIL to the email of the ADMIN account created at start-up "
                            + "(the 'local' profile defaults it).");
        }
        if (properties.password() == null || properties.password().isEmpty()) {
            throw new InvalidConfigurationException("couponhub.admin.password is not set.",
                    "Set COUPONHUB_ADMIN_PASSWORD to the password of the ADMIN account created at start-up "
                            + "(8 to 72 characters; the 'local' profile defaults it).");
        }
        int bytes = properties.password().getBytes(StandardCharsets.UTF_8).length;
        if (properties.password().length() < 8 || bytes > AccountService.MAX_PASSWORD_BYTES) {
            throw new InvalidConfigurationException("couponhub.admin.password is too short or too long.",
                    "Set COUPONHUB_ADMIN_PASSWORD to 8 to 72 characters (at most 72 bytes in UTF-8).");
        }
        String trimmedName = properties.name() == null ? "" : properties.name().strip();
        if (trimmedName.isEmpty() || trimmedName.length() > 50) {
            throw new InvalidConfigurationException("couponhub.admin.name is blank or too long.",
                    "Set couponhub.admin.name to 1 to 50 characters.");
        }
        this.email = properties.email().strip().toLowerCase(Locale.ROOT);
        this.password = properties.password();
        this.name = trimmedName;
    }

    @Override
    public void run(ApplicationArguments args) {
        Account admin = accounts.ensureAdmin(email, name, password);
        if (admin.role() != Role.ADMIN) {
            log.warn("The configured admin email belongs to account {} with role {}; it was left as it is",
                    admin.id(), admin.role());
        } else {
            log.info("ADMIN account {} is present", admin.id());
        }
    }
}
