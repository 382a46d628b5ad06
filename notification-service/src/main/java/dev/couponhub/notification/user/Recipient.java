package dev.couponhub.notification.user;

/** Where an alert mail goes. */
public record Recipient(long userId, String email, String name) {

    @Override
    public String toString() {
        return "Recipient[userId=" + userId + "]"; // never the address in logs
    }
}
