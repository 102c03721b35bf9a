// A stand-in for Telegram's telegram-web-app.js, for Mini Apps that the playground's chat page
// opens (static/webapp.js). It offers the part of `window.Telegram.WebApp` Limber uses, and
// talks to the chat page as Telegram's script talks to Telegram Web: launch parameters in the
// URL's #hash (tgWebAppData: the initData the fake Telegram signed with the bot's token), and
// events both ways as {eventType, eventData} messages. Nothing is fetched from the internet.
"use strict";

(() => {
  const launch = new URLSearchParams(window.location.hash.slice(1));
  const initData = launch.get("tgWebAppData") || "";
  const version = launch.get("tgWebAppVersion") || "6.0";
  const platform = launch.get("tgWebAppPlatform") || "unknown";
  const parent = window.parent !== window ? window.parent : null;
  const handlers = {};
  const root = document.documentElement;

  function post(eventType, eventData) {
    if (parent) parent.postMessage(JSON.stringify({ eventType, eventData: eventData || {} }), window.location.origin);
  }

  function emit(name, ...args) {
    for (const handler of handlers[name] || []) {
      try { handler.apply(webApp, args); } catch (error) { setTimeout(() => { throw error; }); }
    }
  }

  function parseUnsafe(data) {
    const unsafe = {};
    for (const [key, value] of new URLSearchParams(data)) {
      try { unsafe[key] = ["user", "receiver", "chat"].includes(key) ? JSON.parse(value) : value; } catch (e) { unsafe[key] = value; }
    }
    if (unsafe.auth_date) unsafe.auth_date = Number(unsafe.auth_date);
    return unsafe;
  }

  function versionAtLeast(wanted) {
    const have = version.split(".").map(Number);
    const need = String(wanted).split(".").map(Number);
    for (let i = 0; i < Math.max(have.length, need.length); i += 1) {
      const a = have[i] || 0;
      const b = need[i] || 0;
      if (a !== b) return a > b;
    }
    return true;
  }

  // ---- theme, viewport and safe areas: the CSS variables telegram-web-app.js sets ----------

  function setCss(name, value) {
    root.style.setProperty(`--tg-${name}`, value);
  }

  function applyTheme(theme) {
    webApp.themeParams = theme || {};
    for (const [key, value] of Object.entries(webApp.themeParams)) setCss(`theme-${key.replace(/_/g, "-")}`, value);
    const bg = (webApp.themeParams.bg_color || "#ffffff").replace("#", "");
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(bg.slice(i, i + 2), 16));
    webApp.colorScheme = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? "dark" : "light";
    setCss("color-scheme", webApp.colorScheme);
  }

  function applyInsets(name, insets) {
    const kebab = name === "safeAreaInset" ? "safe-area-inset" : "content-safe-area-inset";
    webApp[name] = { top: 0, bottom: 0, left: 0, right: 0, ...insets };
    for (const side of ["top", "bottom", "left", "right"]) setCss(`${kebab}-${side}`, `${webApp[name][side]}px`);
  }

  function applyViewport() {
    webApp.viewportHeight = window.innerHeight;
    webApp.viewportStableHeight = window.innerHeight;
    setCss("viewport-height", `${window.innerHeight}px`);
    setCss("viewport-stable-height", `${window.innerHeight}px`);
  }

  // ---- the bottom buttons and the back button ---------------------------------------------

  function bottomButton(kind) {
    const button = {
      type: kind,
      text: "",
      color: "",
      textColor: "",
      isVisible: false,
      isActive: true,
      isProgressVisible: false,
      hasShineEffect: false,
      setText(text) { return this.setParams({ text }); },
      setParams(params) {
        if ("text" in params) this.text = String(params.text);
        if ("color" in params) this.color = params.color;
        if ("text_color" in params) this.textColor = params.text_color;
        if ("is_visible" in params) this.isVisible = Boolean(params.is_visible);
        if ("is_active" in params) this.isActive = Boolean(params.is_active);
        if ("has_shine_effect" in params) this.hasShineEffect = Boolean(params.has_shine_effect);
        post(`web_app_setup_${kind}_button`, {
          is_visible: this.isVisible && Boolean(this.text),
          is_active: this.isActive,
          is_progress_visible: this.isProgressVisible,
          text: this.text,
          color: this.color,
          text_color: this.textColor,
          has_shine_effect: this.hasShineEffect,
        });
        return this;
      },
      show() { return this.setParams({ is_visible: true }); },
      hide() { return this.setParams({ is_visible: false }); },
      enable() { return this.setParams({ is_active: true }); },
      disable() { return this.setParams({ is_active: false }); },
      showProgress() { this.isProgressVisible = true; return this.setParams({}); },
      hideProgress() { this.isProgressVisible = false; return this.setParams({}); },
      onClick(callback) { webApp.onEvent(`${kind}ButtonClicked`, callback); return this; },
      offClick(callback) { webApp.offEvent(`${kind}ButtonClicked`, callback); return this; },
    };
    return button;
  }

  const backButton = {
    isVisible: false,
    show() { this.isVisible = true; post("web_app_setup_back_button", { is_visible: true }); return this; },
    hide() { this.isVisible = false; post("web_app_setup_back_button", { is_visible: false }); return this; },
    onClick(callback) { webApp.onEvent("backButtonClicked", callback); return this; },
    offClick(callback) { webApp.offEvent("backButtonClicked", callback); return this; },
  };

  const hapticFeedback = {
    impactOccurred(style) { post("web_app_trigger_haptic_feedback", { type: "impact", impact_style: style }); return this; },
    notificationOccurred(type) { post("web_app_trigger_haptic_feedback", { type: "notification", notification_type: type }); return this; },
    selectionChanged() { post("web_app_trigger_haptic_feedback", { type: "selection_change" }); return this; },
  };

  // DeviceStorage (Bot API 9.0): this browser's localStorage, under the bot's own prefix.
  const STORAGE_PREFIX = "tg-device-storage:";
  const later = (callback, ...args) => { if (callback) Promise.resolve().then(() => callback(...args)); };
  const deviceStorage = {
    setItem(key, value, callback) { localStorage.setItem(STORAGE_PREFIX + key, String(value)); later(callback, null, true); return this; },
    getItem(key, callback) { later(callback, null, localStorage.getItem(STORAGE_PREFIX + key)); return this; },
    removeItem(key, callback) { localStorage.removeItem(STORAGE_PREFIX + key); later(callback, null, true); return this; },
    clear(callback) {
      Object.keys(localStorage).filter((key) => key.startsWith(STORAGE_PREFIX)).forEach((key) => localStorage.removeItem(key));
      later(callback, null, true);
      return this;
    },
  };

  const webApp = {
    initData,
    initDataUnsafe: parseUnsafe(initData),
    version,
    platform,
    colorScheme: "light",
    themeParams: {},
    isActive: true,
    isExpanded: true,
    isFullscreen: false,
    isClosingConfirmationEnabled: false,
    isVerticalSwipesEnabled: true,
    viewportHeight: window.innerHeight,
    viewportStableHeight: window.innerHeight,
    safeAreaInset: { top: 0, bottom: 0, left: 0, right: 0 },
    contentSafeAreaInset: { top: 0, bottom: 0, left: 0, right: 0 },
    MainButton: bottomButton("main"),
    SecondaryButton: bottomButton("secondary"),
    BackButton: backButton,
    HapticFeedback: hapticFeedback,
    DeviceStorage: deviceStorage,
    isVersionAtLeast: versionAtLeast,
    onEvent(name, callback) { (handlers[name] = handlers[name] || []).push(callback); },
    offEvent(name, callback) { handlers[name] = (handlers[name] || []).filter((item) => item !== callback); },
    ready() { post("web_app_ready"); },
    expand() { post("web_app_expand"); },
    close() { post("web_app_close"); },
    requestFullscreen() { post("web_app_request_fullscreen"); },
    exitFullscreen() { post("web_app_exit_fullscreen"); },
    enableClosingConfirmation() { this.isClosingConfirmationEnabled = true; post("web_app_setup_closing_behavior", { need_confirmation: true }); },
    disableClosingConfirmation() { this.isClosingConfirmationEnabled = false; post("web_app_setup_closing_behavior", { need_confirmation: false }); },
    enableVerticalSwipes() { this.isVerticalSwipesEnabled = true; post("web_app_setup_swipe_behavior", { allow_vertical_swipe: true }); },
    disableVerticalSwipes() { this.isVerticalSwipesEnabled = false; post("web_app_setup_swipe_behavior", { allow_vertical_swipe: false }); },
    setHeaderColor(color) { post("web_app_set_header_color", color.startsWith("#") ? { color } : { color_key: color }); },
    setBackgroundColor(color) { post("web_app_set_background_color", { color: webApp.themeParams[color] || color }); },
    setBottomBarColor(color) { post("web_app_set_bottom_bar_color", { color: webApp.themeParams[color] || color }); },
    openLink(url) { window.open(url, "_blank", "noopener"); },
    showAlert(message, callback) { window.alert(message); later(callback); },
  };

  // ---- what the chat page tells the Mini App ------------------------------------------------

  window.addEventListener("message", (event) => {
    if (event.source !== parent) return;
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    const data = message.eventData || {};
    switch (message.eventType) {
      case "main_button_pressed": emit("mainButtonClicked"); break;
      case "secondary_button_pressed": emit("secondaryButtonClicked"); break;
      case "back_button_pressed": emit("backButtonClicked"); break;
      case "theme_changed": applyTheme(data.theme_params); emit("themeChanged"); break;
      case "fullscreen_changed": webApp.isFullscreen = Boolean(data.is_fullscreen); emit("fullscreenChanged"); break;
      case "safe_area_changed": applyInsets("safeAreaInset", data); emit("safeAreaChanged"); break;
      case "content_safe_area_changed": applyInsets("contentSafeAreaInset", data); emit("contentSafeAreaChanged"); break;
      case "visibility_changed":
        webApp.isActive = Boolean(data.is_visible);
        emit(webApp.isActive ? "activated" : "deactivated");
        break;
      default: break;
    }
  });
  window.addEventListener("resize", () => { applyViewport(); emit("viewportChanged", { isStateStable: true }); });

  let theme = {};
  try { theme = JSON.parse(launch.get("tgWebAppThemeParams") || "{}"); } catch (e) { theme = {}; }
  applyTheme(theme);
  applyInsets("safeAreaInset", {});
  applyInsets("contentSafeAreaInset", {});
  applyViewport();
  // One assignment, as telegram-web-app.js makes it available: `window.Telegram.WebApp`.
  window.Telegram = { WebApp: webApp };
})();
