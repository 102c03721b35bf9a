// The playground's chat page: one Telegram private chat with the bot, or the playground's group
// where the bot keeps a board, acted out through the fake Telegram's control API (/control/...)
// and kept live by its server-sent event stream.
// Safety rule: text from the bot is only ever put in the page as text nodes (never innerHTML);
// its formatting comes from the message's entities, rebuilt as elements here.
"use strict";

(() => {
  const CITIES = [
    { name: "Berlin", flag: "🇩🇪", latitude: 52.52, longitude: 13.405 },
    { name: "New York", flag: "🇺🇸", latitude: 40.71, longitude: -74.006 },
    { name: "Tokyo", flag: "🇯🇵", latitude: 35.68, longitude: 139.69 },
    { name: "São Paulo", flag: "🇧🇷", latitude: -23.55, longitude: -46.63 },
    { name: "Sydney", flag: "🇦🇺", latitude: -33.87, longitude: 151.21 },
  ];
  const NAMES = ["Ann", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Inés", "Jonas",
    "Kofi", "Lea", "Mateo", "Nora", "Omar", "Priya"];
  const TOAST_MS = 2500;
  const PENDING_MS = 8000;
  // The one group every tab shares: the first tab to open it makes it (its admin), with the bot.
  const GROUP = { id: -1001000000001, title: "Stretch club" };
  // Links Telegram opens itself: the bot's chat (with a /start payload), a message in a
  // supergroup, the share sheet.
  const BOT_LINK = /^https?:\/\/t\.me\/([A-Za-z0-9_]{5,32})(?:\?start=([A-Za-z0-9_-]{1,64}))?$/;
  const GROUP_LINK = /^https?:\/\/t\.me\/c\/(\d+)\/\d+$/;
  const SHARE_LINK = /^https?:\/\/t\.me\/share\/url\?/;

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };

  // ---- who this tab is: its own user, kept across reloads of the same tab ------------------

  function identity() {
    let me = null;
    try { me = JSON.parse(sessionStorage.getItem("limber.user") || "null"); } catch (e) { me = null; }
    if (!me || !Number.isInteger(me.id) || typeof me.name !== "string") {
      me = {
        id: 100000000 + Math.floor(Math.random() * 800000000),
        name: NAMES[Math.floor(Math.random() * NAMES.length)],
      };
      sessionStorage.setItem("limber.user", JSON.stringify(me));
    }
    return me;
  }

  const me = identity();
  const times = window.LimberTimes;
  const state = {
    room: sessionStorage.getItem("limber.room") === "group" ? "group" : "private",
    myTaps: new Set(), // callback_query ids of this tab's taps: only their answers show here
    messages: new Map(), // message_id -> message JSON, edits applied
    keyboard: null, // the reply keyboard under the input field
    keyboardOpen: true,
    commands: [],
    loaded: false,
    batching: false,
    zone: times.zone(null), // the zone the user gave the bot; UTC until then (times.js)
    storedZone: null,
    clock: null, // the bot's clock as last read: { now (Unix s), offset (s), at (performance.now) }
  };

  // ---- talking to the control API -----------------------------------------------------------

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data;
  }

  const userPath = (action) => `/control/users/${me.id}/${action}`;
  const inGroup = () => state.room === "group";
  const chatId = () => (inGroup() ? GROUP.id : me.id);

  function sendText(text) {
    text = text.trim();
    if (!text) return;
    hide($("commands"));
    // An invite or board link pasted into the private chat opens it, as tapping it would.
    if (!inGroup() && BOT_LINK.test(text)) {
      followLink(text);
      return;
    }
    const body = { text, first_name: me.name };
    if (inGroup()) Object.assign(body, { chat_id: GROUP.id, chat_type: "supergroup" });
    post(userPath("text"), body).catch(showError);
  }

  function sendLocation(city) {
    hide($("location-sheet"));
    post(userPath("location"), {
      latitude: city.latitude, longitude: city.longitude, first_name: me.name,
    }).catch(showError);
  }

  function tap(messageId, button, node) {
    node.classList.add("pending");
    setTimeout(() => node.classList.remove("pending"), PENDING_MS);
    post(userPath("tap"), { message_id: messageId, data: button.callback_data, chat_id: chatId() })
      .then((sent) => state.myTaps.add(sent.callback_query_id))
      .catch((error) => {
        node.classList.remove("pending");
        showError(error);
      });
  }

  // ---- links Telegram opens in the app itself ------------------------------------------------

  // t.me/<bot>?start=X opens the private chat and sends /start X (Telegram shows START first;
  // here it is pressed at once); t.me/c/<group>/<message> opens the group; the share sheet
  // becomes an alert with the link to paste into another tab, which is another user.
  async function followLink(url) {
    if (SHARE_LINK.test(url)) {
      const params = new URL(url).searchParams;
      const shared = params.get("url") || "";
      const start = BOT_LINK.exec(shared);
      const here = start && start[2] ? `${window.location.origin}/?start=${start[2]}` : shared;
      showAlert(`${params.get("text") || ""}\n${shared}\n\n` +
        `In the playground, open ${here} in a new tab: that tab is someone else, ` +
        "who opens the link as Telegram would.");
      return;
    }
    const group = GROUP_LINK.exec(url);
    if (group) {
      await enterRoom("group");
      return;
    }
    const bot = BOT_LINK.exec(url);
    if (bot) {
      await enterRoom("private");
      if (bot[2]) post(userPath("text"), { text: `/start ${bot[2]}`, first_name: me.name }).catch(showError);
      return;
    }
    window.open(url, "_blank", "noopener");
  }

  const opensInApp = (url) => BOT_LINK.test(url) || GROUP_LINK.test(url) || SHARE_LINK.test(url);

  // ---- formatted text: entities → elements, text always as text nodes ----------------------

  function safeUrl(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href) {
    const url = safeUrl(href);
    if (!url) return el("span", "link");
    const a = el("a");
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (opensInApp(url)) {
      a.addEventListener("click", (event) => {
        event.preventDefault();
        followLink(url);
      });
    }
    return a;
  }

  function entityElement(entity, inner) {
    switch (entity.type) {
      case "bold": return el("b");
      case "italic": return el("i");
      case "underline": return el("u");
      case "strikethrough": return el("s");
      case "code": return el("code");
      case "pre": return el("pre");
      case "blockquote":
      case "expandable_blockquote": return el("blockquote");
      case "text_link": return link(entity.url || "");
      case "url": return link(/^[a-z]+:/i.test(inner) ? inner : `https://${inner}`);
      case "email": return link(`mailto:${inner}`);
      case "spoiler": {
        const span = el("span", "spoiler");
        span.addEventListener("click", () => span.classList.add("revealed"));
        return span;
      }
      case "bot_command": {
        const span = el("span", "command");
        span.addEventListener("click", () => sendText(inner.split("@")[0]));
        return span;
      }
      default: return el("span", `entity-${String(entity.type).replace(/[^a-z_]/g, "")}`);
    }
  }

  // Offsets are in UTF-16 code units, which is exactly how JavaScript strings index.
  function formatted(text, entities) {
    const fragment = document.createDocumentFragment();
    const list = (entities || [])
      .filter((e) => e && e.length > 0 && e.offset >= 0 && e.offset < text.length)
      .map((e) => ({ ...e, end: Math.min(text.length, e.offset + e.length) }))
      .sort((a, b) => a.offset - b.offset || b.end - a.end);
    let next = 0;
    const build = (parent, start, end) => {
      let pos = start;
      while (next < list.length && list[next].offset < end) {
        const entity = list[next++];
        if (entity.offset < pos) continue; // overlaps a sibling: keep the text, drop the style
        if (entity.offset > pos) parent.append(text.slice(pos, entity.offset));
        const stop = Math.min(entity.end, end);
        const node = entityElement(entity, text.slice(entity.offset, stop));
        build(node, entity.offset, stop);
        parent.append(node);
        pos = stop;
      }
      if (pos < end) parent.append(text.slice(pos, end));
    };
    build(fragment, 0, text.length);
    return fragment;
  }

  // ---- one message ------------------------------------------------------------------------

  function fileSize(bytes) {
    if (!bytes) return "";
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function photoElement(raw) {
    const sizes = raw.photo || [];
    const largest = sizes[sizes.length - 1];
    const img = el("img", "photo");
    img.alt = "photo";
    img.src = `/control/files/${encodeURIComponent(largest.file_id)}`;
    if (largest.width && largest.height) img.style.aspectRatio = `${largest.width} / ${largest.height}`;
    img.addEventListener("load", () => stickToBottom(false));
    return img;
  }

  // An animation (Telegram's silent loop): a muted, looping, inline <video> that plays by itself,
  // as Telegram shows a GIF. A GIF upload is kept as it came, so it is shown as an image.
  // `previous` is the message's row before an edit: if it already plays this file, that very
  // <video> moves into the new row, so an edited caption or keyboard does not restart the loop.
  function animationElement(animation, previous) {
    const src = `/control/files/${encodeURIComponent(animation.file_id)}`;
    const ratio = animation.width && animation.height ? `${animation.width} / ${animation.height}` : "";
    if (animation.mime_type === "image/gif") {
      const img = el("img", "photo animation");
      img.alt = "animation";
      img.src = src;
      img.style.aspectRatio = ratio;
      img.addEventListener("load", () => stickToBottom(false));
      return img;
    }
    const playing = previous && [...previous.querySelectorAll("video.animation")]
      .find((video) => video.dataset.fileId === animation.file_id);
    if (playing) return playing;
    const video = el("video", "photo animation");
    video.dataset.fileId = animation.file_id;
    // The attributes say what it is; the muted *property* is what lets it start without a tap
    // (an attribute added by script does not mute), so it is set before the source.
    for (const flag of ["muted", "loop", "autoplay", "playsinline", "disablepictureinpicture"]) {
      video.setAttribute(flag, "");
    }
    video.muted = true;
    video.preload = "auto";
    video.setAttribute("aria-label", "animation");
    video.style.aspectRatio = ratio;
    video.addEventListener("loadedmetadata", () => stickToBottom(false));
    video.src = src;
    return video;
  }

  function documentElement(doc) {
    const name = doc.file_name || "file";
    const a = el("a", "document");
    a.href = `/control/files/${encodeURIComponent(doc.file_id)}`;
    a.download = name;
    a.append(el("span", "document-icon", "⬇"));
    const about = el("span", "document-about");
    about.append(el("span", "document-name", name), el("span", "document-size", fileSize(doc.file_size)));
    a.append(about);
    return a;
  }

  function locationElement(location) {
    const city = CITIES.find((c) => c.latitude === location.latitude && c.longitude === location.longitude);
    const box = el("div", "location");
    box.append(el("span", "location-pin", "📍"));
    const about = el("span", "location-about");
    about.append(
      el("span", "location-name", city ? city.name : "Location"),
      el("span", "location-coords", `${location.latitude}, ${location.longitude}`),
    );
    box.append(about);
    return box;
  }

  function inlineKeyboard(message) {
    const rows = (message.reply_markup && message.reply_markup.inline_keyboard) || [];
    if (!rows.length) return null;
    const keyboard = el("div", "inline-keyboard");
    for (const row of rows) {
      const line = el("div", "kb-row");
      for (const button of row) {
        let node;
        if (button.url && safeUrl(button.url)) {
          node = link(button.url);
          node.className = "kb-button";
          node.textContent = `${button.text} ↗`;
        } else if (button.web_app && safeUrl(button.web_app.url)) {
          node = el("button", "kb-button web-app", button.text);
          node.type = "button";
          node.addEventListener("click", () => openWebApp(button.web_app.url));
        } else {
          node = el("button", "kb-button", button.text);
          node.type = "button";
          if (typeof button.callback_data === "string") {
            node.addEventListener("click", () => tap(message.message_id, button, node));
          } else {
            node.disabled = true;
          }
        }
        line.append(node);
      }
      keyboard.append(line);
    }
    return keyboard;
  }

  function messageElement(message, previous) {
    const raw = message.raw || {};
    // In the group, what others write sits on the left under their name, as in Telegram.
    const sender = raw.from || {};
    const other = !message.from_bot && inGroup() && sender.id !== me.id;
    const row = el("div", `row ${message.from_bot || other ? "bot" : "user"}${other ? " other" : ""}`);
    row.dataset.id = String(message.message_id);
    row.dataset.edits = String(message.edits || 0);
    row.dataset.date = String(message.date);
    row.dataset.day = times.dayKey(message.date, state.zone);
    const stack = el("div", "stack");
    const bubble = el("div", "bubble");
    if (other) bubble.append(el("div", "sender", sender.first_name || "?"));
    if (message.silent) row.dataset.silent = "yes";
    let body = null;
    if (raw.photo) {
      bubble.classList.add("media");
      bubble.append(photoElement(raw));
    }
    if (raw.animation) {
      bubble.classList.add("media");
      bubble.append(animationElement(raw.animation, previous));
    } else if (raw.document) {
      // An animation's message carries its file as a document too; only a plain file is a card.
      bubble.append(documentElement(raw.document));
    }
    if (raw.location) bubble.append(locationElement(raw.location));
    if (raw.sticker) bubble.append(el("div", "sticker", raw.sticker.emoji || "🙂"));
    if (typeof raw.text === "string") {
      body = el("div", "text");
      body.append(formatted(raw.text, raw.entities));
    } else if (typeof raw.caption === "string") {
      body = el("div", "text caption");
      body.append(formatted(raw.caption, raw.caption_entities));
    }
    const meta = el("span", "meta");
    if (message.silent) meta.append(el("span", "silent", "🔕"));
    if (message.edits > 0) meta.append(el("span", "edited", "edited"));
    meta.append(el("span", "time", times.time(message.date, state.zone)));
    if (body) {
      body.append(meta);
      bubble.append(body);
    } else {
      // A bare photo or animation shows its time over it; a location or file, under its card.
      meta.classList.add(raw.photo || raw.animation ? "over" : "below");
      bubble.append(meta);
    }
    const shows = raw.photo || raw.animation || raw.document || raw.location || raw.sticker;
    if (!shows && body === null) {
      bubble.prepend(el("div", "text unsupported", "(a message this page cannot show)"));
    }
    stack.append(bubble);
    const keyboard = inlineKeyboard(message);
    if (keyboard) stack.append(keyboard);
    row.append(stack);
    return row;
  }

  // ---- the chat ---------------------------------------------------------------------------

  const list = $("messages");

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  }

  function stickToBottom(force) {
    if (force || nearBottom()) list.scrollTop = list.scrollHeight;
  }

  function upsert(message) {
    const wasNearBottom = nearBottom();
    state.messages.set(message.message_id, message);
    const old = list.querySelector(`.row[data-id="${message.message_id}"]`);
    const node = messageElement(message, old);
    if (old) {
      old.replaceWith(node);
    } else {
      const rows = [...list.querySelectorAll(".row")];
      const after = rows.find((row) => Number(row.dataset.id) > message.message_id);
      list.insertBefore(node, after || null);
    }
    if (!state.batching) renderDays();
    stickToBottom(wasNearBottom || !old);
    updateBottom();
  }

  function remove(messageId) {
    state.messages.delete(messageId);
    const old = list.querySelector(`.row[data-id="${messageId}"]`);
    if (old) old.remove();
    renderDays();
    updateBottom();
  }

  // A separator with the date above the first message of each day, as Telegram's apps show.
  function renderDays() {
    list.querySelectorAll(".day-separator").forEach((node) => node.remove());
    let previous = null;
    for (const row of list.querySelectorAll(".row")) {
      if (row.dataset.day !== previous) {
        const separator = el("div", "day-separator");
        separator.setAttribute("role", "separator");
        separator.append(el("span", "", times.dayLabel(Number(row.dataset.date), state.zone)));
        row.before(separator);
      }
      previous = row.dataset.day;
    }
  }

  // The zone the chat's user gave the bot, as the server names it with every event: when it
  // changes (onboarding, /timezone), every time and separator is shown in the new one.
  function setZone(stored) {
    if (stored === undefined || stored === state.storedZone) return;
    state.storedZone = stored;
    state.zone = times.zone(stored);
    for (const row of list.querySelectorAll(".row")) {
      const date = Number(row.dataset.date);
      row.dataset.day = times.dayKey(date, state.zone);
      const stamp = row.querySelector(".meta .time");
      if (stamp) stamp.textContent = times.time(date, state.zone);
    }
    renderDays();
    paintClock();
  }

  function renderReplyKeyboard() {
    const box = $("reply-keyboard");
    box.replaceChildren();
    const rows = (state.keyboard && state.keyboard.keyboard) || [];
    $("keyboard-toggle").hidden = rows.length === 0;
    box.hidden = rows.length === 0 || !state.keyboardOpen;
    $("text").placeholder = (state.keyboard && state.keyboard.input_field_placeholder) || "Message";
    for (const row of rows) {
      const line = el("div", "kb-row");
      for (const item of row) {
        const button = typeof item === "string" ? { text: item } : item;
        const node = el("button", "reply-button", button.text);
        node.type = "button";
        node.addEventListener("click", () => {
          if (button.request_location) show($("location-sheet"));
          else sendText(button.text);
        });
        line.append(node);
      }
      box.append(line);
    }
  }

  function updateBottom() {
    // Like Telegram: an empty chat with a bot offers one big START button instead of the input.
    const empty = state.loaded && state.messages.size === 0 && !inGroup();
    $("start-button").hidden = !empty;
    $("composer").hidden = empty;
    $("empty-note").hidden = !empty;
  }

  function applySnapshot(snapshot) {
    state.messages.clear();
    list.querySelectorAll(".row, .day-separator").forEach((node) => node.remove());
    state.batching = true; // one pass of separators for the whole history, not one per message
    for (const message of snapshot.messages) upsert(message);
    state.batching = false;
    renderDays();
    state.keyboard = snapshot.keyboard;
    state.commands = snapshot.commands || [];
    renderMenuButton(snapshot.menu_button);
    state.loaded = true;
    renderReplyKeyboard();
    updateBottom();
    stickToBottom(true);
  }

  function applyAnswer(event) {
    // In the group, everyone's taps are answered in the same chat: only ours show here.
    if (inGroup() && !state.myTaps.has(event.callback_query_id)) return;
    const row = list.querySelector(`.row[data-id="${event.message_id}"]`);
    if (row) row.querySelectorAll(".pending").forEach((node) => node.classList.remove("pending"));
    const answer = event.answer || {};
    if (answer.url) {
      followLink(answer.url);
      return;
    }
    if (!answer.text) return;
    if (answer.show_alert) showAlert(answer.text);
    else showToast(answer.text);
  }

  // ---- the live stream --------------------------------------------------------------------

  let source = null;

  function connect() {
    if (source) source.close();
    source = new EventSource(`/control/chats/${chatId()}/events?viewer=${me.id}`);
    const on = (kind, handler) => source.addEventListener(kind, (e) => {
      const data = JSON.parse(e.data);
      setZone(data.time_zone);
      handler(data);
    });
    on("snapshot", (data) => { setStatus(inGroup() ? "group" : "bot", true); applySnapshot(data); });
    on("message", (data) => upsert(data.message));
    on("edit", (data) => upsert(data.message));
    on("delete", (data) => remove(data.message_id));
    on("callback_answer", applyAnswer);
    on("keyboard", (data) => {
      state.keyboard = data.keyboard;
      state.keyboardOpen = true;
      renderReplyKeyboard();
    });
    source.addEventListener("error", () => {
      setStatus("reconnecting…");
      // The browser retries by itself unless the stream failed for good (e.g. the server was
      // down when it tried); then start over after a moment.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
    });
  }

  function setStatus(text, connected = false) {
    $("status").textContent = text;
    document.body.dataset.connected = connected ? "yes" : "no";
  }

  // ---- the two rooms: the private chat with the bot, and the shared group -----------------------

  async function joinGroup() {
    // The first tab to come makes the group (and is its admin); the others join it.
    const made = await post(`/control/chats/${GROUP.id}/group`, {
      creator: me.id, title: GROUP.title, first_name: me.name,
    });
    if (!(String(me.id) in (made.members || {}))) {
      await post(`/control/chats/${GROUP.id}/members`, { user_id: me.id, first_name: me.name });
    }
  }

  async function enterRoom(room) {
    if (room === "group") {
      try { await joinGroup(); } catch (error) { showError(error); return; }
    }
    state.room = room;
    sessionStorage.setItem("limber.room", room);
    renderRoom();
    connect();
  }

  function renderRoom() {
    const group = inGroup();
    document.body.dataset.room = state.room;
    $("chat-name").textContent = group ? GROUP.title : "Limber";
    $("avatar").textContent = group ? "S" : "L";
    $("room-button").textContent = group ? "💬 Limber" : "👥 Group";
    $("room-button").title = group ? "Back to your private chat with Limber" : `Open the group "${GROUP.title}"`;
    $("text").placeholder = "Message";
    state.loaded = false;
    updateBottom();
  }

  // ---- Mini Apps (static/webapp.js opens them) ---------------------------------------------

  function openWebApp(url) {
    window.LimberWebApp.open({ url, userId: me.id, title: "Limber" }).catch(showError);
  }

  // The chat's menu button: the command list ("/"), or a Mini App under the bot's own words.
  function renderMenuButton(menu) {
    const button = $("menu-button");
    const webApp = menu && menu.type === "web_app" && menu.web_app && safeUrl(menu.web_app.url);
    state.menuApp = webApp ? menu.web_app.url : null;
    button.classList.toggle("web-app", Boolean(webApp));
    button.textContent = webApp ? menu.text : "/";
    button.title = webApp ? menu.text : "Commands";
    button.setAttribute("aria-label", button.title);
  }

  // ---- small overlays -----------------------------------------------------------------------

  const show = (node) => { node.hidden = false; };
  const hide = (node) => { node.hidden = true; };
  let toastTimer = null;

  function showToast(text) {
    const toast = $("toast");
    toast.textContent = text;
    show(toast);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => hide(toast), TOAST_MS);
  }

  function showAlert(text) {
    $("alert-text").textContent = text;
    show($("alert"));
    $("alert-ok").focus();
  }

  function showError(error) {
    showToast(`⚠ ${error.message}`);
  }

  async function openCommands() {
    const menu = $("commands");
    if (!menu.hidden) { hide(menu); return; }
    try {
      const response = await fetch(`/control/commands?chat_id=${me.id}`);
      if (response.ok) state.commands = await response.json();
    } catch (e) { /* keep the commands from the snapshot */ }
    renderCommands("");
  }

  function renderCommands(prefix) {
    const menu = $("commands");
    menu.replaceChildren();
    const matching = state.commands.filter((c) => c.command.startsWith(prefix));
    for (const command of matching) {
      const item = el("button", "command-item");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      item.append(el("span", "command-name", `/${command.command}`), el("span", "command-about", command.description));
      item.addEventListener("click", () => { $("text").value = ""; sendText(`/${command.command}`); });
      menu.append(item);
    }
    menu.hidden = matching.length === 0;
  }

  // ---- the clock panel (only when the playground exposes the bot's clock) ---------------------

  function renderClock(data) {
    state.clock = { now: Date.parse(data.now) / 1000, offset: data.offset_seconds, at: performance.now() };
    paintClock();
  }

  // "Bot's clock · Europe/Berlin · Mon 30 Nov 07:30": whose time, in which zone, 24-hour. The
  // clock runs on between reads, so the panel counts on from the last one while it is open.
  function paintClock() {
    if (!state.clock) return;
    const now = state.clock.now + (performance.now() - state.clock.at) / 1000;
    $("clock-zone").textContent = state.zone.label;
    $("clock-now").textContent = times.clockLabel(now, state.zone);
    const hours = Math.round(state.clock.offset / 3600);
    const [days, rest] = [Math.floor(hours / 24), hours % 24];
    const ahead = [days ? `${days} d` : "", rest ? `${rest} h` : ""].filter(Boolean).join(" ");
    $("clock-offset").textContent = hours ? `${ahead} ahead of real time` : "Real time";
  }

  async function setUpClock() {
    const response = await fetch("/control/clock").catch(() => null);
    if (!response || !response.ok) return;
    renderClock(await response.json());
    const button = $("clock-button");
    show(button);
    setInterval(() => { if (!$("clock-panel").hidden) paintClock(); }, 1000);
    button.addEventListener("click", async () => {
      const panel = $("clock-panel");
      panel.hidden = !panel.hidden;
      const fresh = await fetch("/control/clock").catch(() => null);
      if (fresh && fresh.ok) renderClock(await fresh.json());
    });
    for (const step of document.querySelectorAll("#clock-panel [data-seconds]")) {
      step.addEventListener("click", async () => {
        try {
          renderClock(await post("/control/clock/advance", { seconds: Number(step.dataset.seconds) }));
          showToast(`Bot's clock moved ${step.textContent}`);
        } catch (error) { showError(error); }
      });
    }
  }

  // ---- wiring -----------------------------------------------------------------------------

  function renderMe() {
    $("me").textContent = me.name;
    $("me").title = `You in this tab: ${me.name}, user id ${me.id} (click to rename)`;
    document.body.dataset.userId = String(me.id);
    $("empty-me").textContent = `${me.name} (user id ${me.id})`;
  }

  function wire() {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("text");
      sendText(input.value);
      input.value = "";
    });
    $("text").addEventListener("input", (event) => {
      const value = event.target.value;
      if (/^\/\w*$/.test(value)) renderCommands(value.slice(1));
      else hide($("commands"));
    });
    // Typing "/" lists the commands either way, as in Telegram.
    $("menu-button").addEventListener("click", () => (state.menuApp ? openWebApp(state.menuApp) : openCommands()));
    $("room-button").addEventListener("click", () => enterRoom(inGroup() ? "private" : "group"));
    $("start-button").addEventListener("click", () => sendText("/start"));
    $("keyboard-toggle").addEventListener("click", () => {
      state.keyboardOpen = !state.keyboardOpen;
      renderReplyKeyboard();
    });
    $("location-cancel").addEventListener("click", () => hide($("location-sheet")));
    $("alert-ok").addEventListener("click", () => hide($("alert")));
    $("me").addEventListener("click", () => {
      const name = (window.prompt("Your first name in this tab", me.name) || "").trim();
      if (!name) return;
      me.name = name.slice(0, 64);
      sessionStorage.setItem("limber.user", JSON.stringify(me));
      renderMe();
    });
    const cities = $("cities");
    for (const city of CITIES) {
      const item = el("button", "city");
      item.type = "button";
      item.append(
        el("span", "city-flag", city.flag),
        el("span", "city-name", city.name),
        el("span", "city-coords", `${city.latitude}, ${city.longitude}`),
      );
      item.addEventListener("click", () => sendLocation(city));
      cities.append(item);
    }
  }

  // A page opened as /?start=<payload> is a t.me link to the bot opened in Telegram: the
  // private chat, with /start <payload> sent (as START would).
  function openedLink() {
    const payload = new URLSearchParams(window.location.search).get("start");
    if (!payload || !/^[A-Za-z0-9_-]{1,64}$/.test(payload)) return null;
    window.history.replaceState(null, "", window.location.pathname);
    return payload;
  }

  renderMe();
  wire();
  const payload = openedLink();
  if (payload) {
    state.room = "private";
    sessionStorage.setItem("limber.room", "private");
  }
  if (inGroup()) {
    enterRoom("group");
  } else {
    renderRoom();
    connect();
  }
  if (payload) post(userPath("text"), { text: `/start ${payload}`, first_name: me.name }).catch(showError);
  setUpClock();
})();
