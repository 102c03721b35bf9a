// The hands-free session in Telegram's web view: the intro, the player and the summary, the
// Telegram parts users know (MainButton: Start, Pause/Resume, Close; BackButton: a step back),
// the sets sent to the API as each one finishes, and the screen kept awake meanwhile.
// Every word shown comes from the API (the bot's own catalogs), and only ever as text.
"use strict";

(() => {
  const { Cues } = window.LimberCues;
  const { build, minutes } = window.LimberTimeline;
  const { Player } = window.LimberPlayer;
  const RETRY_MS = 3000;
  const BUSY_RETRY_MS = 15000;
  const ARC = 2 * Math.PI * 54; // the countdown ring's circumference (r = 54 in the SVG)

  const webApp = window.Telegram && window.Telegram.WebApp;
  const $ = (id) => document.getElementById(id);
  const setText = (id, text) => { $(id).textContent = text || ""; };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  const state = { day: null, texts: {}, player: null, saving: [], wakeLock: null, finished: false };
  const cues = new Cues(webApp);

  // ---- the API --------------------------------------------------------------------------

  class Refusal extends Error {
    constructor(status, body) {
      super(body.message || `HTTP ${status}`);
      this.status = status;
      this.reason = body.error;
    }
  }

  async function api(path, body) {
    // Outside Telegram there is no initData: the API then says where to open the page.
    const headers = webApp && webApp.initData ? { Authorization: `tma ${webApp.initData}` } : {};
    const options = { method: body ? "POST" : "GET", headers };
    if (body) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refusal(response.status, data);
    return data;
  }

  // ---- screens ------------------------------------------------------------------------------

  function show(screen) {
    for (const node of document.querySelectorAll(".screen")) node.hidden = node.id !== screen;
    document.body.dataset.state = screen;
  }

  function problem(message) {
    stopSession();
    setText("problem-text", message);
    show("problem");
    mainButton(state.texts.MINIAPP_CLOSE, () => webApp.close());
  }

  function mainButton(text, onClick) {
    if (!webApp) return;
    const button = webApp.MainButton;
    if (state.onMain) button.offClick(state.onMain);
    state.onMain = null;
    if (!text) {
      button.hide();
      return;
    }
    state.onMain = onClick;
    button.setParams({ text, is_visible: true, is_active: true });
    button.onClick(onClick);
  }

  function renderProgress(progress) {
    const text = state.texts;
    setText("intro-today", progress.today);
    setText("summary-today", progress.today);
    for (const id of ["intro-streak", "summary-streak"]) {
      setText(id, progress.streak);
      $(id).hidden = !progress.streak;
    }
    $("player-progress").style.width = `${Math.min(100, (100 * progress.done) / progress.target)}%`;
    setText("summary-title", progress.met ? text.MINIAPP_SUMMARY_DONE : text.MINIAPP_SUMMARY_PARTIAL);
    setText("summary-milestone", progress.milestone);
    $("summary-milestone").hidden = !progress.milestone;
    if (state.day) renderTracker(progress.logged);
  }

  // Today's sets as the chat's summary draws them: a row of dots per stretch and side.
  function renderTracker(logged) {
    const done = new Set(logged.map(([stretch, side, number]) => `${stretch}/${side}/${number}`));
    const rows = [];
    for (const stretch of state.day.stretches) {
      rows.push(element("div", "tracker-stretch", stretch.short_title));
      for (const side of stretch.sides) {
        const row = element("div", "tracker-row");
        row.append(element("span", "tracker-side", side.side === "left" ? state.texts.SIDE_LEFT : state.texts.SIDE_RIGHT));
        for (let number = 1; number <= state.day.sets_per_side; number += 1) {
          const dot = element("span", "dot");
          if (done.has(`${stretch.key}/${side.side}/${number}`)) dot.classList.add("done");
          row.append(dot);
        }
        rows.push(row);
      }
    }
    $("summary-tracker").replaceChildren(...rows);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function renderSound() {
    const text = state.texts;
    for (const id of ["intro-sound", "player-sound"]) {
      const button = $(id);
      button.setAttribute("aria-pressed", String(!cues.muted));
      button.setAttribute("aria-label", cues.muted ? text.MINIAPP_SOUND_OFF : text.MINIAPP_SOUND_ON);
      button.title = button.getAttribute("aria-label");
    }
    $("player-unlock").hidden = !(state.player && cues.locked);
  }

  function intro(day) {
    const text = state.texts;
    const phases = build(day, false);
    state.again = phases.length === 0;
    setText("intro-title", text.MINIAPP_TITLE);
    // The first stretch's whole move, on a loop: what the session is about, at a glance.
    $("intro-video").src = day.stretches[0].sides[0].animation;
    const all = state.again ? build(day, true) : phases;
    setText("intro-plan", fill(text.MINIAPP_PLAN, {
      sets: day.sets_per_side, seconds: day.hold_seconds, minutes: minutes(all),
    }));
    setText("intro-text", state.again ? text.MINIAPP_ALL_DONE : text.MINIAPP_INTRO);
    setText("intro-safety", day.safety);
    renderProgress(day.progress);
    show("intro");
    mainButton(text.SESSION_BTN_START, start);
    performance.mark("limber-interactive");
  }

  // ---- the session ----------------------------------------------------------------------------

  function start() {
    cues.unlock(); // from a tap, where the client lets it count as one
    const phases = build(state.day, state.again);
    state.player = new Player(phases, { phase: showPhase, tick: showTime, cue: (name) => cues.play(name), setDone: save, end: finish });
    show("player");
    keepAwake();
    if (webApp) {
      webApp.enableClosingConfirmation();
      webApp.BackButton.show();
    }
    mainButton(state.texts.MINIAPP_PAUSE, togglePause);
    state.player.start();
    renderSound();
  }

  function showPhase(phase) {
    const text = state.texts;
    setText("player-stretch", phase.stretch.short_title);
    setText("player-side", phase.side.label);
    const labels = {
      move: text.MINIAPP_MOVE,
      step: fill(text.MINIAPP_STEP, { number: phase.step, count: phase.steps }),
      ready: text.MINIAPP_READY,
      hold: text.MINIAPP_HOLD,
      rest: text.MINIAPP_REST,
    };
    setText("player-phase", labels[phase.kind]);
    document.body.dataset.phase = phase.kind;
    setText("player-sets", phase.set ? fill(text.MINIAPP_SET_OF, { number: phase.set, count: state.day.sets_per_side }) : "");
    setText("player-title", phase.title);
    setText("player-text", phase.kind === "ready" ? fill(text.MINIAPP_READY_HINT, { number: phase.set }) : phase.text);
    setText("player-skip", phase.kind === "hold" ? text.MINIAPP_DONE_EARLY : text.MINIAPP_SKIP);
    setText("player-unit", text.MINIAPP_SECONDS);
    const video = $("player-video");
    const picture = $("player-picture");
    if (phase.video) {
      if (video.getAttribute("src") !== phase.video) video.src = phase.video;
      video.hidden = false;
      picture.hidden = true;
      video.play().catch(() => {});
    } else {
      video.pause();
      video.hidden = true;
      picture.hidden = false;
      if (picture.getAttribute("src") !== phase.picture) picture.src = phase.picture;
    }
    const next = state.player.phases[state.player.index + 1];
    if (next && next.picture) new Image().src = next.picture; // ready before it is shown
  }

  function showTime(left, phase) {
    const seconds = Math.max(0, Math.ceil(left / 1000));
    setText("player-digits", String(seconds));
    const done = 1 - left / (phase.seconds * 1000);
    $("player-arc").style.strokeDashoffset = String(ARC * Math.min(1, Math.max(0, done)));
  }

  function togglePause() {
    const player = state.player;
    if (!player || state.finished) return;
    cues.unlock();
    if (player.paused) player.resume();
    else player.pause();
    document.body.classList.toggle("paused", player.paused);
    setText("player-status", player.paused ? state.texts.MINIAPP_PAUSED : "");
    mainButton(player.paused ? state.texts.MINIAPP_RESUME : state.texts.MINIAPP_PAUSE, togglePause);
  }

  // ---- saving: each set as it finishes, in order, retried until it is stored ----------------

  function save(phase) {
    state.saving.push({ day: state.day.day, ...phase.log });
    if (state.saving.length === 1) sendNext();
  }

  async function sendNext() {
    const set = state.saving[0];
    if (!set) {
      if (state.finished) sendFinish();
      return;
    }
    try {
      const answer = await api("api/sets", set);
      state.saving.shift();
      renderProgress(answer.progress);
      setText("player-status", state.player && state.player.paused ? state.texts.MINIAPP_PAUSED : "");
      sendNext();
    } catch (error) {
      if (error instanceof Refusal && error.status !== 429 && error.status < 500) {
        problem(error.message); // expired, another day: retrying would not help
        return;
      }
      setText("player-status", state.texts.MINIAPP_RETRYING);
      setTimeout(sendNext, error.status === 429 ? BUSY_RETRY_MS : RETRY_MS);
    }
  }

  function finish() {
    state.finished = true;
    stopSession();
    setText("summary-chat", state.texts.MINIAPP_SUMMARY_CHAT);
    show("summary");
    mainButton(state.texts.MINIAPP_CLOSE, () => webApp.close());
    if (!state.saving.length) sendFinish();
  }

  async function sendFinish() {
    try {
      renderProgress((await api("api/finish", { day: state.day.day })).progress);
    } catch (error) {
      if (error instanceof Refusal && error.status < 500 && error.status !== 429) return;
      setTimeout(sendFinish, RETRY_MS);
    }
  }

  function stopSession() {
    if (state.player) state.player.pause();
    if (webApp) {
      webApp.disableClosingConfirmation();
      webApp.BackButton.hide();
    }
    if (state.wakeLock) state.wakeLock.release().catch(() => {});
    state.wakeLock = null;
  }

  // The screen stays on while the session runs (where the browser allows it); the lock goes
  // when the page is hidden, so it is asked for again when the page comes back.
  async function keepAwake() {
    if (!("wakeLock" in navigator) || state.finished) return;
    try { state.wakeLock = await navigator.wakeLock.request("screen"); } catch (e) { state.wakeLock = null; }
  }

  // ---- wiring ---------------------------------------------------------------------------------

  function setUpTelegram() {
    webApp.ready();
    webApp.expand();
    // Full screen on phones, where the session is done lying on the floor.
    if (webApp.isVersionAtLeast("8.0") && ["android", "ios"].includes(webApp.platform)) {
      webApp.requestFullscreen();
    }
    if (webApp.isVersionAtLeast("7.7")) webApp.disableVerticalSwipes(); // no swipe-to-close mid-hold
    if (webApp.isVersionAtLeast("6.1")) {
      webApp.setHeaderColor("bg_color");
      webApp.setBackgroundColor("bg_color");
    }
    webApp.BackButton.onClick(() => { if (state.player && !state.finished) state.player.back(); });
    document.documentElement.dataset.scheme = webApp.colorScheme;
    webApp.onEvent("themeChanged", () => { document.documentElement.dataset.scheme = webApp.colorScheme; });
  }

  function wire() {
    for (const id of ["intro-sound", "player-sound"]) {
      $(id).addEventListener("click", () => {
        cues.setMuted(!cues.muted);
        if (!cues.muted) cues.unlock();
        renderSound();
      });
    }
    $("player-unlock").addEventListener("click", () => { cues.unlock(); setTimeout(renderSound, 200); });
    $("player-countdown").addEventListener("click", togglePause);
    $("player-skip").addEventListener("click", () => state.player.skip());
    $("player-back").addEventListener("click", () => state.player.back());
    // Any tap may be the one that lets sound start.
    document.addEventListener("pointerdown", () => { cues.unlock(); setTimeout(renderSound, 200); }, { passive: true });
    document.addEventListener("visibilitychange", () => {
      if (document.hidden && state.player && !state.player.paused && !state.finished) togglePause();
      if (!document.hidden && state.player && !state.finished) keepAwake();
    });
  }

  async function load() {
    if (webApp) setUpTelegram();
    wire();
    try {
      const day = await api("api/day");
      state.day = day;
      state.texts = day.texts;
      setText("player-unlock", day.texts.MINIAPP_SOUND_LOCKED);
      document.documentElement.lang = day.language.replace("_", "-");
      cues.load(() => { renderSound(); intro(day); });
    } catch (error) {
      problem(error.message);
    }
  }

  load();
})();
