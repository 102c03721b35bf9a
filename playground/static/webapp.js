// Mini Apps in the playground's chat page, opened by a web_app button (on a message, or the
// chat's menu button) in a phone-sized sheet over the chat, as Telegram's apps open them.
// The fake Telegram signs the initData with the bot's token (POST /control/users/{id}/web_app),
// and the sheet plays Telegram's part: it hands the Mini App its launch parameters and theme,
// and draws what the Mini App asks for through the stand-in for telegram-web-app.js
// (static/telegram-web-app.js): the main button, the back button, full screen, haptics.
"use strict";

(() => {
  const VERSION = "9.1"; // the Bot API version the stand-in offers (DeviceStorage came in 9.0)
  const PLATFORM = "android"; // a phone: the Mini App goes full screen, as it would there
  const FULLSCREEN_CONTROLS_PX = 52; // Close and ⋯ float over the top of a full-screen app
  // Telegram's own palettes, light and dark (the Android app's day and night themes).
  const THEMES = {
    light: {
      bg_color: "#ffffff", text_color: "#000000", hint_color: "#8a9aa9", link_color: "#2481cc",
      button_color: "#3390ec", button_text_color: "#ffffff", secondary_bg_color: "#f0f2f5",
      header_bg_color: "#ffffff", bottom_bar_bg_color: "#ffffff", accent_text_color: "#2481cc",
      section_bg_color: "#ffffff", section_header_text_color: "#3a95d5", subtitle_text_color: "#82868a",
      destructive_text_color: "#cc2929",
    },
    dark: {
      bg_color: "#17212b", text_color: "#f5f5f5", hint_color: "#708499", link_color: "#6ab3f3",
      button_color: "#5288c1", button_text_color: "#ffffff", secondary_bg_color: "#232e3c",
      header_bg_color: "#17212b", bottom_bar_bg_color: "#17212b", accent_text_color: "#6ab2f2",
      section_bg_color: "#17212b", section_header_text_color: "#6ab3f3", subtitle_text_color: "#708499",
      destructive_text_color: "#ec3942",
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = { frame: null, origin: null, theme: THEMES.light, back: false, confirm: false, fullscreen: false };

  function scheme() {
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  async function open({ url, userId, title }) {
    const response = await fetch(`/control/users/${userId}/web_app`, { method: "POST" });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    state.theme = THEMES[scheme()];
    const target = new URL(url, window.location.href);
    if (["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
      // The playground's own Mini App: on the address this page was reached at (a phone on
      // the same network reaches the playground by its network address, not 127.0.0.1).
      target.protocol = window.location.protocol;
      target.host = window.location.host;
    }
    url = target.href;
    state.origin = target.origin;
    state.back = false;
    state.confirm = false;
    state.fullscreen = false;
    const launch = new URLSearchParams({
      tgWebAppData: data.init_data,
      tgWebAppVersion: VERSION,
      tgWebAppPlatform: PLATFORM,
      tgWebAppThemeParams: JSON.stringify(state.theme),
    });
    const sheet = $("webapp");
    sheet.dataset.scheme = scheme();
    sheet.classList.remove("fullscreen");
    sheet.style.setProperty("--webapp-bg", state.theme.bg_color);
    sheet.style.setProperty("--webapp-text", state.theme.text_color);
    sheet.style.setProperty("--webapp-button", state.theme.button_color);
    sheet.style.setProperty("--webapp-button-text", state.theme.button_text_color);
    $("webapp-title").textContent = title;
    renderMain({ is_visible: false });
    renderBack();
    const frame = $("webapp-frame");
    state.frame = frame;
    frame.src = `${url}#${launch}`;
    sheet.hidden = false;
  }

  function close(asked) {
    if (state.confirm && !asked && !window.confirm("Close the Mini App? Your progress there may be lost.")) return;
    $("webapp").hidden = true;
    if (state.frame) state.frame.src = "about:blank";
    state.frame = null;
    renderMain({ is_visible: false });
  }

  function send(eventType, eventData) {
    if (state.frame && state.frame.contentWindow) {
      state.frame.contentWindow.postMessage(JSON.stringify({ eventType, eventData: eventData || {} }), state.origin);
    }
  }

  function renderMain(params) {
    const bar = $("webapp-bottom");
    const button = $("webapp-main");
    bar.hidden = !params.is_visible;
    button.textContent = params.text || "";
    button.disabled = params.is_active === false;
    button.style.background = params.color || "";
    button.style.color = params.text_color || "";
  }

  function renderBack() {
    for (const id of ["webapp-close", "webapp-pill-close"]) {
      const node = $(id);
      node.textContent = state.back ? "‹ Back" : "✕ Close";
      node.dataset.back = String(state.back);
    }
  }

  function goFullscreen(on) {
    state.fullscreen = on;
    $("webapp").classList.toggle("fullscreen", on);
    send("fullscreen_changed", { is_fullscreen: on });
    send("safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
    send("content_safe_area_changed", { top: on ? FULLSCREEN_CONTROLS_PX : 0, bottom: 0, left: 0, right: 0 });
  }

  function buzz(data) {
    const node = $("webapp-haptic");
    node.textContent = data.type === "notification" ? "📳" : "·";
    node.classList.remove("buzz");
    void node.offsetWidth; // restart the animation
    node.classList.add("buzz");
    if (navigator.vibrate) navigator.vibrate(data.type === "impact" && data.impact_style === "heavy" ? 40 : 15);
  }

  // What the Mini App asks of "Telegram", as telegram-web-app.js posts it.
  function handle(eventType, data) {
    switch (eventType) {
      case "web_app_setup_main_button": renderMain(data); break;
      case "web_app_setup_back_button": state.back = Boolean(data.is_visible); renderBack(); break;
      case "web_app_setup_closing_behavior": state.confirm = Boolean(data.need_confirmation); break;
      case "web_app_request_fullscreen": goFullscreen(true); break;
      case "web_app_exit_fullscreen": goFullscreen(false); break;
      case "web_app_trigger_haptic_feedback": buzz(data); break;
      case "web_app_close": close(true); break;
      case "web_app_set_header_color":
        $("webapp-header").style.background = data.color || state.theme[data.color_key] || "";
        break;
      default: break; // ready, expand, swipe behaviour: nothing to draw here
    }
  }

  function wire() {
    window.addEventListener("message", (event) => {
      if (!state.frame || event.source !== state.frame.contentWindow || event.origin !== state.origin) return;
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      handle(message.eventType, message.eventData || {});
    });
    $("webapp-main").addEventListener("click", () => send("main_button_pressed"));
    for (const id of ["webapp-close", "webapp-pill-close"]) {
      $(id).addEventListener("click", () => (state.back ? send("back_button_pressed") : close(false)));
    }
    document.addEventListener("visibilitychange", () => send("visibility_changed", { is_visible: !document.hidden }));
  }

  wire();
  window.LimberWebApp = { open };
})();
