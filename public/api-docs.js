fetch("/api/v1/openapi.json")
  .then((r) => r.json())
  .then((doc) => {
    const root = document.getElementById("ops");
    root.textContent = "";
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const d = document.createElement("details");
        d.className = "op";
        const s = document.createElement("summary");
        const m = document.createElement("span");
        m.className = "m " + method;
        m.textContent = method.toUpperCase();
        s.append(m, document.createTextNode(path + " — " + (op.summary || "")));
        d.append(s);
        if (op.requestBody) {
          const pre = document.createElement("pre");
          pre.textContent = JSON.stringify(
            op.requestBody.content[Object.keys(op.requestBody.content)[0]].schema,
            null,
            2,
          );
          d.append(pre);
        }
        root.append(d);
      }
    }
  });
