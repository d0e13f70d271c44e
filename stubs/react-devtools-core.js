// Ink imports react-devtools-core statically for its optional DevTools bridge.
// The bundle never enables DevTools, so an empty stand-in keeps it out.
export default {connectToDevTools() {}};
