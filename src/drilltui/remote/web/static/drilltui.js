// The page's terminal: xterm.js on a WebSocket to the participant's session.
// Client to server, JSON text: ["stdin", text], ["resize", {width, height}], ["ping", x].
// Server to client: binary frames are the dashboard's output; JSON text ["pong", x] and ["notice", text].
(() => {
  "use strict";
  const box = document.getElementById("terminal");
  const line = document.getElementById("status");
  const term = new Terminal({
    scrollback: 0,
    cursorBlink: false,
    fontSize: Number(box.dataset.fontSize || 15),
    fontFamily: "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace",
    macOptionIsMeta: true,
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(box);
  fit.fit();
  window.drilltuiTerminal = term; // what the screen shows, for tests and benches to read

  const say = (text) => { line.textContent = text; line.hidden = !text; };

  // The bell: a short tone, once the browser allows sound (after the participant's first key or click).
  let audio = null;
  window.drilltuiBells = 0;
  const wake = () => {
    try {
      audio = audio || new AudioContext();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  };
  window.addEventListener("keydown", wake, true);
  window.addEventListener("pointerdown", wake, true);
  term.onBell(() => {
    window.drilltuiBells += 1;
    if (!audio || audio.state !== "running") return;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.12, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  });

  const url = new URL("ws", window.location.href);
  url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("width", term.cols);
  url.searchParams.set("height", term.rows);
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const send = (message) => { if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message)); };

  term.onData((data) => send(["stdin", data]));
  term.onResize(({ cols, rows }) => send(["resize", { width: cols, height: rows }]));
  window.addEventListener("resize", () => fit.fit());
  socket.addEventListener("open", () => {
    fit.fit();
    send(["resize", { width: term.cols, height: term.rows }]);
    term.focus();
  });
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") {
      const [kind, body] = JSON.parse(event.data);
      if (kind === "notice") say(body);
    } else {
      term.write(new Uint8Array(event.data));
    }
  });
  socket.addEventListener("close", (event) => {
    say(event.reason || "The session has ended. Reload the page to join again.");
    document.body.classList.add("ended");
  });
})();
