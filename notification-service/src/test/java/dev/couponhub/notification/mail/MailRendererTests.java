package dev.couponhub.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailRendererTests {

    private final MailRenderer renderer = new MailRenderer();

    @Test
    void rendersKoreanTextAndHtmlWithEveryValueEscapedInHtml() {
        MailRenderer.Rendered mail = renderer.render("<b>민지</b>", "준커피에서 새 쿠폰을 발행했어요",
                "<script>alert(1)</script> 쿠폰 & 할인");

        assertThat(mail.subject()).isEqualTo("준커피에서 새 쿠폰을 발행했어요");
        assertThat(mail.text()).contains("<b>민지</b>님, 안녕하세요.").contains("<script>alert(1)</script> 쿠폰 & 할인");
        assertThat(mail.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt; 쿠폰 &amp; 할인")
                .contains("&lt;b&gt;민지&lt;/b&gt;님").doesNotContain("<script>").doesNotContain("{{")
                .contains("<html lang=\"ko\">");
    }

    @Test
    void noNameThenGenericGreeting() {
        assertThat(renderer.render("", "t", "b").text()).startsWith("안녕하세요,");
    }
}
