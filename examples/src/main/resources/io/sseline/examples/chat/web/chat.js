// The chat page: one EventSource for the room, one fetch POST per message. No build step.
"use strict";

(() => {
  const params = new URLSearchParams(location.search);
  const room = params.get("room") || "lobby";
  const author = params.get("name") || sessionStorage.getItem("chat.name")
      || "guest-" + Math.floor(1000 + Math.random() * 9000);
  sessionStorage.setItem("chat.name", author);

  const $ = (id) => document.getElementById(id);
  const stateView = $("state");
  const messages = $("messages");
  const errorView = $("error");
  const authorInput = $("author");
  const contentInput = $("content");

  $("room").textContent = "#" + room;
  authorInput.value = author;
  const navigation = performance.getEntriesByType("navigation")[0];
  if (navigation && navigation.nextHopProtocol) {
    $("protocol").textContent = "via " + navigation.nextHopProtocol;
  }

  // Messages may arrive twice (a replay after a server restart overlaps what was shown): each has an
  // id of its own, and is shown once.
  const shown = new Set();
  let source = null;
  let lastEventId = "";
  let retryTimer = null;
  let everOpened = false;
  let opens = 0;

  function setState(state) {
    stateView.dataset.state = state;
    stateView.textContent = state;
  }

  function nearBottom() {
    const main = messages.parentElement;
    return main.scrollHeight - main.scrollTop - main.clientHeight < 40;
  }

  function append(item) {
    const follow = nearBottom();
    messages.append(item);
    if (follow) {
      item.scrollIntoView({block: "end"});
    }
  }

  function span(className, text) {
    const element = document.createElement("span");
    element.className = className;
    element.textContent = text; // never innerHTML: message text is untrusted
    return element;
  }

  function showMessage(message) {
    if (shown.has(message.id)) {
      return;
    }
    shown.add(message.id);
    const item = document.createElement("li");
    item.className = "message";
    item.dataset.id = message.id;
    item.append(span("time", message.timestamp), span("author", message.author), span("content", message.content));
    append(item);
  }

  function showPresence(text, online) {
    const item = document.createElement("li");
    item.className = "presence";
    item.textContent = text;
    append(item);
    showOnline(online);
  }

  function showOnline(online) {
    $("online").textContent = online + " online";
  }

  function track(event) {
    if (event.lastEventId) {
      lastEventId = event.lastEventId;
    }
  }

  function connect() {
    retryTimer = null;
    const url = new URL("sse", location.href);
    url.searchParams.set("room", room);
    url.searchParams.set("name", authorInput.value || author);
    if (lastEventId) {
      // A new EventSource cannot set Last-Event-ID; the server reads this parameter instead.
      url.searchParams.set("lastEventId", lastEventId);
    }
    setState(everOpened ? "reconnecting" : "connecting");
    source = new EventSource(url);

    source.addEventListener("open", () => {
      everOpened = true;
      opens += 1;
      stateView.dataset.opens = String(opens); // how many times the stream opened, for the curious
      errorView.textContent = "";
      setState("open");
    });

    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CONNECTING) {
        // The browser reconnects by itself and sends Last-Event-ID.
        setState("reconnecting");
      } else if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status while the server restarts): try again ourselves.
        setState("reconnecting");
        source = null;
        if (retryTimer === null) {
          retryTimer = setTimeout(connect, 2000);
        }
      }
    });

    source.addEventListener("message", (event) => {
      track(event);
      showMessage(JSON.parse(event.data));
    });

    source.addEventListener("join", (event) => {
      const presence = JSON.parse(event.data);
      showPresence(presence.user + " joined", presence.online);
    });

    source.addEventListener("leave", (event) => {
      const presence = JSON.parse(event.data);
      showPresence(presence.user + " left", presence.online);
    });

    source.addEventListener("online", (event) => {
      showOnline(JSON.parse(event.data).online);
    });
  }

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const content = contentInput.value;
    errorView.textContent = "";
    try {
      const response = await fetch("messages", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({room: room, author: authorInput.value, content: content}),
      });
      if (response.status === 202) {
        contentInput.value = "";
      } else {
        const problem = await response.json().catch(() => ({error: "HTTP " + response.status}));
        errorView.textContent = problem.error;
      }
    } catch (failure) {
      errorView.textContent = "not sent: " + failure.message;
    }
    contentInput.focus();
  });

  // Leaving the page (or putting it in the back/forward cache) closes the stream, so the server
  // sees the user leave at once; coming back opens a new one.
  window.addEventListener("pagehide", () => {
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (source !== null) {
      source.close();
      source = null;
    }
    setState("closed");
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && source === null) {
      connect();
    }
  });

  connect();
})();
