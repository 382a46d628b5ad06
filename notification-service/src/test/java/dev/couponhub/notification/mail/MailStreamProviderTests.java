package dev.couponhub.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

/**
 * Jakarta Mail finds its stream provider by name once {@link MailRelay} is loaded, without scanning the class path: the
 * name must be a provider on the class path, or no mail could be written at all.
 */
class MailStreamProviderTests {

    @Test
    void loadingTheRelayNamesTheStreamProviderOfTheMailImplementation() throws Exception {
        Class.forName(MailRelay.class.getName(), true, MailRelay.class.getClassLoader());

        assertThat(System.getProperty(MailRelay.STREAM_PROVIDER_PROPERTY)).isEqualTo(MailRelay.STREAM_PROVIDER);
        assertThat(StreamProvider.class.isAssignableFrom(Class.forName(MailRelay.STREAM_PROVIDER))).isTrue();
        assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(MailRelay.STREAM_PROVIDER);
    }
}
