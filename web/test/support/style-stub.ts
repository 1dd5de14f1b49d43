// Stands in for the stylesheet the client imports for Vite (see jest.config.js).
export {};
