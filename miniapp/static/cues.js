// Cues you need not look at: short tones made with the Web Audio API (no audio files) and
// Telegram's haptic feedback, and the mute switch, remembered on the device (Telegram's
// DeviceStorage where the client has it, else localStorage). Muting silences the tones only.
"use strict";

(() => {
  // Each cue: its tones as [frequency in Hz, start in s, length in s], and its haptic. The
  // tones are notes of one C major chord, so every cue sounds like part of the same family;
  // their order tells them apart (rising: something starts, falling: something ends).
  const PATTERNS = {
    ready: { tones: [[523.25, 0, 0.16], [659.25, 0.18, 0.24]], haptic: ["impact", "medium"] },
    go: { tones: [[783.99, 0, 0.45]], haptic: ["impact", "heavy"] },
    halfway: { tones: [[659.25, 0, 0.14]], haptic: ["impact", "light"] },
    count: { tones: [[1046.5, 0, 0.07]], haptic: ["selection"] },
    done: { tones: [[783.99, 0, 0.16], [523.25, 0.18, 0.34]], haptic: ["notification", "success"] },
    switch: {
      tones: [[523.25, 0, 0.14], [659.25, 0.16, 0.14], [783.99, 0.32, 0.34]],
      haptic: ["notification", "warning"],
    },
    finish: {
      tones: [[523.25, 0, 0.14], [659.25, 0.15, 0.14], [783.99, 0.3, 0.14], [1046.5, 0.45, 0.6]],
      haptic: ["notification", "success"],
    },
  };
  const VOLUME = 0.28;
  const MUTED_KEY = "limber.muted";

  class Cues {
    constructor(webApp) {
      this.webApp = webApp;
      this.context = null;
      this.muted = false;
    }

    // Browsers let sound start only from a tap: call this from one (any later tap works too).
    unlock() {
      const AudioContextClass = window.AudioContext || window.webkitAudioContext;
      if (!AudioContextClass) return;
      if (!this.context) this.context = new AudioContextClass();
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
    }

    get locked() {
      return !this.muted && (!this.context || this.context.state !== "running");
    }

    play(name) {
      const pattern = PATTERNS[name];
      if (!pattern) return;
      this.vibrate(pattern.haptic);
      if (this.muted) return;
      if (!this.context) this.unlock();
      const context = this.context;
      if (!context) return;
      const start = context.currentTime + 0.02;
      for (const [frequency, at, length] of pattern.tones) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = "sine";
        oscillator.frequency.value = frequency;
        // A soft bell: a quick rise, then an exponential fade.
        gain.gain.setValueAtTime(0.0001, start + at);
        gain.gain.exponentialRampToValueAtTime(VOLUME, start + at + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + at);
        oscillator.stop(start + at + length + 0.05);
      }
    }

    vibrate([kind, style]) {
      const webApp = this.webApp;
      if (!webApp || !webApp.HapticFeedback || !webApp.isVersionAtLeast("6.1")) return;
      const haptics = webApp.HapticFeedback;
      if (kind === "impact") haptics.impactOccurred(style);
      else if (kind === "notification") haptics.notificationOccurred(style);
      else haptics.selectionChanged();
    }

    // The mute switch as the device remembers it; `done(muted)` is called once it is known.
    load(done) {
      const storage = this.deviceStorage();
      const apply = (value) => {
        this.muted = value === "1";
        done(this.muted);
      };
      if (storage) {
        storage.getItem(MUTED_KEY, (error, value) => apply(error ? null : value));
        return;
      }
      let value = null;
      try { value = window.localStorage.getItem(MUTED_KEY); } catch (e) { value = null; }
      apply(value);
    }

    setMuted(muted) {
      this.muted = muted;
      const value = muted ? "1" : "0";
      const storage = this.deviceStorage();
      if (storage) {
        storage.setItem(MUTED_KEY, value, () => {});
        return;
      }
      try { window.localStorage.setItem(MUTED_KEY, value); } catch (e) { /* private mode */ }
    }

    deviceStorage() {
      const webApp = this.webApp;
      return webApp && webApp.DeviceStorage && webApp.isVersionAtLeast("9.0") ? webApp.DeviceStorage : null;
    }
  }

  window.LimberCues = { Cues, PATTERNS };
})();
