import './inkroom-status.js';
