// Runs before the page is drawn: marks that scripts run, so a phone draws the menu folded at once
// (app.js then folds it for real) and nothing moves after the first paint.
document.documentElement.className += " js";
