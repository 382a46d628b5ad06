package dev.couponhub.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class MailRendererTests {

    private final MailRenderer renderer = new MailRenderer();

    @Test
    void rendersKoreanTextAndHtmlWithEveryValueEscapedInHtml() {
        MailRenderer.Rendered mail = renderer.render("<b>민지</b>", List.of(new MailRenderer.Alert(
                "준커피에서 새 쿠폰을 발행했어요", "<script>alert(1)</script> 쿠폰 & 할인")));

        assertThat(mail.subject()).isEqualTo("준커피에서 새 쿠폰을 발행했어요");
        assertThat(mail.text()).contains("<b>민지</b>님, 안녕하세요.").contains("준커피에서 새 쿠폰을 발행했어요")
                .contains("<script>alert(1)</script> 쿠폰 & 할인").doesNotContain("■");
        assertThat(mail.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt; 쿠폰 &amp; 할인")
                .contains("&lt;b&gt;민지&lt;/b&gt;님").doesNotContain("<script>").doesNotContain("{{")
                .contains("<h1 style=\"margin:0 0 16px;font-size:22px;line-height:1.4;color:#1f2933;\">"
                        + "준커피에서 새 쿠폰을 발행했어요</h1>")
                .doesNotContain("<h2").contains("<html lang=\"ko\">");
    }

    @Test
    void severalAlertsThenOneMailWithACountSubjectAndEveryTitleAndTextInTheirOrder() {
        MailRenderer.Rendered mail = renderer.render("민지", List.of(
                new MailRenderer.Alert("라떼 쿠폰이 발급되었어요", "첫째 본문"),
                new MailRenderer.Alert("<i>모카</i> 쿠폰이 발급되었어요", "둘째 & 본문"),
                new MailRenderer.Alert("라떼 쿠폰을 사용했어요", "셋째 본문")));

        assertThat(mail.subject()).isEqualTo("Couponhub 새 알림 3건");
        assertThat(mail.text()).startsWith("민지님, 안녕하세요.").contains("Couponhub 새 알림 3건")
                .containsSubsequence("■ 라떼 쿠폰이 발급되었어요\n첫째 본문", "■ <i>모카</i> 쿠폰이 발급되었어요\n둘째 & 본문",
                        "■ 라떼 쿠폰을 사용했어요\n셋째 본문")
                .doesNotContain("{{");
        assertThat(mail.html()).contains("<title>Couponhub 새 알림 3건</title>")
                .containsSubsequence(">라떼 쿠폰이 발급되었어요</h2>", ">첫째 본문</p>",
                        ">&lt;i&gt;모카&lt;/i&gt; 쿠폰이 발급되었어요</h2>", ">둘째 &amp; 본문</p>",
                        ">라떼 쿠폰을 사용했어요</h2>", ">셋째 본문</p>")
                .doesNotContain("<i>").doesNotContain("{{");
    }

    @Test
    void noNameThenGenericGreeting() {
        assertThat(renderer.render("", List.of(new MailRenderer.Alert("t", "b"))).text()).startsWith("안녕하세요,");
    }

    @Test
    void noAlertThenNoMail() {
        assertThatThrownBy(() -> renderer.render("민지", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
