// Building DOM nodes without innerHTML: what the console and the simulator share, so text from
// the gateway (screens, names, SMS) is always text, never markup.

/**
 * An element with attributes and children. `on<event>` keys become listeners, `text` sets the
 * text content, non-string values of DOM properties are assigned (e.g. `disabled: true` on a
 * button); null, undefined and false attributes and children are skipped; strings and numbers
 * become text nodes.
 */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = String(value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return el;
}

/** Replaces the options of a <select> with `items` ([{ value, label }]) and selects `selected`. */
export function setOptions(select, items, selected) {
  select.replaceChildren(...items.map((item) => h('option', { value: item.value, text: item.label, selected: item.value === selected })));
}
