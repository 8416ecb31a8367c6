// Hand-over mode (app/handover): on the neutral screen and the pick page nobody's form is on the
// device any longer, so an answer static/respond.js kept unsent in sessionStorage (its key
// 'samstem-unsent') belongs to a turn the server has ended: it is forgotten, never shown to the next person.
(function () {
  try { sessionStorage.removeItem('samstem-unsent'); } catch (e) { /* no storage: nothing kept */ }
})();
